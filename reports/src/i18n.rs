//! Every fixed text of every format, in Vietnamese and English. Templates reach them as `t.KEY`
//! ([`Texts::table`]);
//! Rust code (the terminal text, diagrams, `JUnit`, SARIF) through [`text`]. A test checks that every key a built-in
//! template uses exists here and that no entry is empty in either language.
//!
//! A few texts name the architecture's side ("Hệ thống của địa phương", the provincial LGSP, the
//! People's Committee that adopts the architecture): [`LEVEL_STRINGS`] writes them with the
//! framework's words (`{level}`, `{own}`, `{body}`, `framework.toml` `[words]`), and [`Texts`]
//! reads them at the architecture's level (issue 26). Without a level, or with a framework that
//! does not define the words, the plain text of [`STRINGS`] stands; the province's words give it
//! back word for word.

use kientruc_checker::Checked;
use kientruc_dsl::metamodel::{Language, Localized};
use std::collections::BTreeMap;

/// `(key, Vietnamese, English)`, sorted by key.
pub const STRINGS: &[(&str, &str, &str)] = &[
    ("accepted", "Đã chấp nhận", "Accepted"),
    (
        "accepted_and_waived",
        "Phát hiện đã chấp nhận và miễn trừ",
        "Accepted and waived findings",
    ),
    (
        "accepted_findings",
        "Phát hiện được chấp nhận",
        "Findings accepted",
    ),
    ("accepted_reason", "Lý do chấp nhận", "Reason accepted"),
    (
        "accepted_without_reason",
        "Đã chấp nhận, không ghi lý do",
        "Accepted, no reason recorded",
    ),
    ("active", "Chưa khắc phục", "Open"),
    ("architecture", "Kiến trúc", "Architecture"),
    ("as_of_model", "as_of của mô hình", "the model's as_of"),
    ("as_of_option", "tùy chọn --as-of", "the --as-of option"),
    ("as_of_prefix", "theo ngày", "as of"),
    ("as_of_today", "hôm nay", "today"),
    ("band_applications", "Ứng dụng", "Applications"),
    (
        "band_channels",
        "Kênh giao tiếp, cổng",
        "Channels and portals",
    ),
    ("band_data", "Dữ liệu", "Data"),
    ("band_infrastructure", "Hạ tầng", "Infrastructure"),
    (
        "band_lgsp",
        "Nền tảng tích hợp cấp tỉnh (LGSP)",
        "Provincial integration platform (LGSP)",
    ),
    ("band_national", "Hệ thống quốc gia", "National systems"),
    (
        "band_ndxp",
        "Nền tảng tích hợp quốc gia (NDXP)",
        "National integration platform (NDXP)",
    ),
    ("band_neighbourhood_element", "Phần tử", "The element"),
    (
        "band_neighbourhood_in",
        "Có quan hệ đến phần tử",
        "Related to the element",
    ),
    (
        "band_neighbourhood_out",
        "Phần tử có quan hệ đến",
        "What the element relates to",
    ),
    ("band_no_layer", "Không thuộc tầng nào", "No layer"),
    ("band_platforms", "Nền tảng dùng chung", "Shared platforms"),
    ("band_services", "Dịch vụ, nghiệp vụ", "Services"),
    ("band_step", "Bước {step}", "Step {step}"),
    ("band_systems", "Hệ thống của địa phương", "Local systems"),
    (
        "baselined",
        "Đã chấp nhận (danh sách chấp nhận)",
        "Accepted in the baseline",
    ),
    ("changes_added", "Thêm mới", "Added"),
    ("changes_after", "Sau", "After"),
    ("changes_before", "Trước", "Before"),
    ("changes_changed", "Thay đổi", "Changed"),
    ("changes_details", "Nội dung thay đổi", "What changed"),
    ("changes_fixed", "Đã khắc phục", "Fixed"),
    ("changes_nav", "Thay đổi", "Changes"),
    ("changes_new", "Mới", "New"),
    (
        "changes_no_element_changes",
        "Không có phần tử nào được thêm, xóa hay thay đổi.",
        "No element was added, removed or changed.",
    ),
    (
        "changes_no_finding_changes",
        "Không có phát hiện mới, được khắc phục hay được miễn trừ.",
        "No finding is new, fixed or newly waived.",
    ),
    (
        "changes_not_at_revision",
        "Các đường dẫn được kiểm tra chưa có ở phiên bản này: mọi phần tử và mọi phát hiện đều được tính là mới.",
        "The paths checked did not exist at this revision: every element and every finding counts as new.",
    ),
    ("changes_property", "Thuộc tính", "Property"),
    ("changes_relation", "Quan hệ", "Relation"),
    ("changes_removed", "Đã xóa", "Removed"),
    (
        "changes_scope_note",
        "Chỉ so sánh các phần tử khai báo trong không gian làm việc; mô hình tham chiếu quốc gia được nhập không được so sánh.",
        "Only the elements declared in the workspace are compared; the imported national reference model is not.",
    ),
    ("changes_still_open", "Vẫn còn", "Still open"),
    ("changes_tags", "Nhãn", "Tags"),
    ("changes_title", "Thay đổi kể từ", "Changes since"),
    ("changes_via", "qua", "via"),
    ("changes_waived", "Nay được miễn trừ", "Now waived"),
    ("citation", "Căn cứ", "Citation"),
    ("citation_inferred", "suy luận", "inferred"),
    ("citation_tool", "quy định của công cụ", "kientruc policy"),
    (
        "cli_baseline",
        "đường cơ sở {file}: đã chấp nhận {findings}, {new} phát hiện mới",
        "baseline {file}: {findings} accepted, {new} new",
    ),
    (
        "cli_baseline_fixed",
        "{count} mục của đường cơ sở không còn xảy ra ({what}):",
        "{count} baseline entries no longer occur ({what}):",
    ),
    (
        "cli_baseline_fixed_one",
        "1 mục của đường cơ sở không còn xảy ra ({what}):",
        "1 baseline entry no longer occurs ({what}):",
    ),
    (
        "cli_baseline_removed",
        "đã xóa khỏi đường cơ sở",
        "removed from the baseline",
    ),
    (
        "cli_baseline_update",
        "chạy với --update-baseline để xóa",
        "run with --update-baseline to remove them",
    ),
    (
        "cli_checked",
        "đã kiểm tra {files}: {elements}, {relations}; {errors}, {warnings} trong dữ liệu đầu vào",
        "checked {files}: {elements}, {relations}; {errors}, {warnings} in the input",
    ),
    (
        "cli_checked_national",
        "đã kiểm tra {files}: {elements} (không tính {national} phần tử của mô hình quốc gia được nhập), {relations}; {errors}, {warnings} trong dữ liệu đầu vào",
        "checked {files}: {elements} (not counting the {national} elements of the imported national model), {relations}; {errors}, {warnings} in the input",
    ),
    (
        "cli_compared",
        "so với {revision}: {new} phát hiện mới, {old} đã có từ trước, {resolved} đã khắc phục",
        "compared with {revision}: {new} new findings, {old} already there, {resolved} resolved",
    ),
    ("cli_element", "{n} phần tử", "{n} element"),
    ("cli_elements", "{n} phần tử", "{n} elements"),
    ("cli_error", "{n} lỗi", "{n} error"),
    ("cli_errors", "{n} lỗi", "{n} errors"),
    ("cli_file", "{n} tệp", "{n} file"),
    ("cli_files", "{n} tệp", "{n} files"),
    ("cli_finding", "{n} phát hiện", "{n} finding"),
    ("cli_findings", "{n} phát hiện", "{n} findings"),
    ("cli_fixed", "đã khắc phục", "fixed"),
    ("cli_help", "cách khắc phục", "help"),
    ("cli_path", "đường kết nối", "path"),
    ("cli_relation", "{n} quan hệ", "{n} relation"),
    ("cli_relations", "{n} quan hệ", "{n} relations"),
    ("cli_resolved", "đã khắc phục", "resolved"),
    ("cli_warning", "{n} cảnh báo", "{n} warning"),
    ("cli_warnings", "{n} cảnh báo", "{n} warnings"),
    (
        "cli_wrote",
        "đã ghi {file} ({bytes} byte)",
        "wrote {file} ({bytes} bytes)",
    ),
    (
        "cli_wrote_baseline",
        "đã ghi {file} với {findings}",
        "wrote {file} with {findings}",
    ),
    ("closes", "Phát hiện sẽ khắc phục", "Findings it will close"),
    ("code", "Mã lỗi", "Code"),
    (
        "compliance_summary",
        "Tổng hợp tuân thủ",
        "Compliance summary",
    ),
    ("contents", "Mục lục", "Contents"),
    (
        "counted_files",
        "tệp .ea (kể cả các phần tử được nhập mà kiến trúc sở hữu)",
        ".ea files (with the imported elements it owns)",
    ),
    (
        "counted_national_after",
        "phần tử của mô hình tham chiếu quốc gia được nhập.",
        "elements of the imported national reference model are not counted.",
    ),
    ("counted_national_before", "không tính", "the"),
    (
        "counted_note_before",
        "Số liệu tính các phần tử và quan hệ của kiến trúc này, khai báo trong",
        "The figures count this architecture's elements and relations, declared in",
    ),
    (
        "diagram_bundle_legend",
        "Các kết nối giữa hai nhóm (×số kết nối)",
        "Connections between two groups (×number)",
    ),
    (
        "diagram_bundle_many",
        "{count} kết nối",
        "{count} connections",
    ),
    (
        "diagram_bundle_more",
        "… và {count} kết nối khác",
        "… and {count} more connections",
    ),
    ("diagram_bundle_one", "1 kết nối", "1 connection"),
    ("diagram_bundle_property", "thuộc tính", "property"),
    ("diagram_bundle_violation", "Vi phạm", "Violates"),
    ("diagram_bundle_within", "trong nhóm", "within the group"),
    (
        "diagram_empty",
        "Mô hình không có phần tử nào cho sơ đồ này.",
        "The model has no elements for this diagram.",
    ),
    (
        "diagram_summarised",
        "Sơ đồ này chọn {count} phần tử, nhiều hơn {max} ô một trang in chứa được, nên được vẽ tóm tắt: mỗi nhóm là một ô ghi số phần tử và số phần tử có phát hiện, các kết nối được gộp theo cặp nhóm, kết nối vi phạm vẫn tô đỏ. Xem từng phần tử bằng kientruc serve hoặc kientruc export --format mermaid --view {view}.",
        "This view selects {count} elements, more than the {max} boxes a printed page holds, so it is drawn as a summary: one box per group counting its elements and those with findings, connections bundled per pair of groups, violating connections still in red. See every element with kientruc serve or kientruc export --format mermaid --view {view}.",
    ),
    ("diagram_summary_box", "{count} phần tử", "{count} elements"),
    (
        "diagram_summary_box_findings",
        "{count} phần tử, {flagged} có phát hiện",
        "{count} elements, {flagged} with findings",
    ),
    ("diagrams", "Sơ đồ", "Diagrams"),
    ("element", "Phần tử", "Element"),
    ("element_index", "Chỉ mục theo phần tử", "Index by element"),
    ("elements", "Phần tử", "Elements"),
    (
        "elements_with_findings",
        "Phần tử có phát hiện",
        "Elements with findings",
    ),
    (
        "elements_without_findings",
        "Phần tử không có phát hiện",
        "Elements without findings",
    ),
    ("errors", "Lỗi", "Errors"),
    ("failed", "Không đạt", "Failed"),
    ("files", "Tệp", "Files"),
    ("findings", "Phát hiện", "Findings"),
    (
        "findings_accepted_word",
        "phát hiện đã chấp nhận",
        "findings accepted",
    ),
    (
        "findings_by_model",
        "Phát hiện theo mô hình tham chiếu",
        "Findings by reference model",
    ),
    (
        "findings_waived_word",
        "phát hiện được miễn trừ",
        "findings waived",
    ),
    ("fix", "Cách khắc phục", "How to fix"),
    (
        "folded_note",
        "Mỗi quy tắc một mục thu gọn: lý do, cơ quan chịu trách nhiệm và ngày rà soát (hoặc thời hạn miễn trừ) được ghi một lần khi mọi phát hiện của quy tắc giống nhau. Mở một mục để xem từng phát hiện.",
        "One folded entry per rule: the reason, the responsible agency and the review date (or the waiver's expiry) are given once when all its findings share them. Open an entry to see each finding.",
    ),
    (
        "footer",
        "Báo cáo do kientruc lập từ mô hình kiến trúc; cùng một mô hình luôn cho cùng một báo cáo.",
        "Made by kientruc from the architecture model; the same model always gives the same report.",
    ),
    ("framework", "Khung kiến trúc", "Framework"),
    ("generated_at", "Thời điểm lập", "Generated"),
    (
        "group_no_owner",
        "Chưa ghi cơ quan chủ quản",
        "No owner recorded",
    ),
    ("id", "Mã", "Id"),
    ("implements", "Triển khai", "Implements"),
    (
        "index_shared_note",
        "Mô hình lớn: danh sách này chỉ in một lần, trong ngôn ngữ đầu tiên của báo cáo:",
        "A large model: this list is given once, in the report's first language:",
    ),
    ("infos", "Thông tin", "Info"),
    (
        "input_error_description",
        "Lỗi trong dữ liệu đầu vào (cú pháp, tệp, phân giải, cấu hình): kết quả kiểm tra có thể chưa đầy đủ.",
        "A problem in the input (syntax, files, resolution, configuration): the check may be incomplete.",
    ),
    (
        "input_errors",
        "Mô hình có lỗi cú pháp hoặc phân giải, kết quả kiểm tra có thể chưa đầy đủ. Số lỗi",
        "The model has syntax or resolution errors, so the check may be incomplete. Errors",
    ),
    (
        "input_errors_title",
        "Lỗi trong dữ liệu đầu vào",
        "Input errors",
    ),
    (
        "integration_caption",
        "Các hệ thống của địa phương, nền tảng LGSP, NDXP và hệ thống quốc gia; kết nối vi phạm được tô đỏ.",
        "Local systems, the LGSP, the NDXP and national systems; violating connections are drawn in red.",
    ),
    (
        "integration_diagram",
        "Sơ đồ tích hợp, chia sẻ dữ liệu",
        "Integration view",
    ),
    ("judged_on", "Ngày đánh giá", "Judged as of"),
    ("kind", "Loại", "Kind"),
    ("language_switch", "Ngôn ngữ", "Language"),
    ("layer", "Tầng", "Layer"),
    (
        "legend_context",
        "Hệ thống của cơ quan khác",
        "Another body's system",
    ),
    ("legend_edge", "Kết nối", "Connection"),
    ("legend_findings", "Có phát hiện", "Has findings"),
    (
        "legend_national",
        "Thuộc mô hình quốc gia",
        "National reference model",
    ),
    (
        "legend_violation",
        "Kết nối vi phạm",
        "Violating connection",
    ),
    ("location", "Vị trí", "Location"),
    ("message", "Nội dung", "Message"),
    (
        "model_adopted",
        "đã được phê duyệt theo Quyết định",
        "adopted by Decision",
    ),
    ("model_date", "Ngày của mô hình", "Model date"),
    (
        "model_not_adopted",
        "mô hình tham khảo, chưa được UBND tỉnh phê duyệt",
        "reference model, not adopted by the provincial People's Committee",
    ),
    (
        "model_not_adopted_city",
        "mô hình tham khảo, chưa được UBND Thành phố phê duyệt",
        "reference model, not adopted by the City People's Committee",
    ),
    ("model_status", "Tình trạng mô hình", "Model status"),
    ("model_wide", "Toàn mô hình", "Whole model"),
    ("more", "phần tử khác", "more elements"),
    (
        "more_findings",
        "phát hiện khác, xem báo cáo HTML",
        "more findings, see the HTML report",
    ),
    (
        "more_input_errors",
        "lỗi đầu vào khác, xem kientruc check",
        "more input errors, see kientruc check",
    ),
    ("name", "Tên", "Name"),
    (
        "neighbourhood_diagram",
        "Quan hệ trực tiếp của {name}",
        "Direct relations of {name}",
    ),
    ("new_findings", "Phát hiện mới", "New findings"),
    ("no", "Không", "No"),
    ("no_date", "chưa có", "none"),
    ("no_findings", "Không có phát hiện.", "No findings."),
    (
        "no_open_findings",
        "Không còn phát hiện chưa xử lý; các phát hiện đã chấp nhận hoặc miễn trừ ở mục sau.",
        "No open findings; the accepted and waived ones are in the next section.",
    ),
    (
        "no_roadmap",
        "Mô hình chưa có hạng mục lộ trình.",
        "The model has no roadmap items.",
    ),
    ("no_rules", "Chưa có quy tắc nào được chạy.", "No rule ran."),
    (
        "none_accepted",
        "Không có phát hiện nào được chấp nhận hoặc miễn trừ.",
        "No finding is accepted or waived.",
    ),
    ("not_applicable", "Không áp dụng", "Not applicable"),
    (
        "not_applicable_note",
        "Không tính vào điểm: căn cứ chưa có hoặc đã hết hiệu lực vào ngày đánh giá, hoặc mô hình không có phần tử nào thuộc phạm vi của quy tắc.",
        "Not in the score: their basis is not in force on the date judged, or the model has no element they apply to.",
    ),
    (
        "not_applicable_rules",
        "Quy tắc không áp dụng",
        "Rules that do not apply",
    ),
    ("not_set", "chưa ghi", "not set"),
    ("open_errors", "Lỗi chưa xử lý", "Open errors"),
    ("open_findings", "Phát hiện chưa xử lý", "Open findings"),
    ("open_infos", "Thông tin chưa xử lý", "Open info"),
    ("open_warnings", "Cảnh báo chưa xử lý", "Open warnings"),
    ("overall_score", "Điểm tuân thủ", "Compliance score"),
    ("overdue", "quá hạn", "overdue"),
    (
        "overdue_note",
        "Hạng mục quá hạn: thời hạn trước ngày của mô hình mà chưa vận hành.",
        "Overdue items: the target date is before the model date and the item is not operational.",
    ),
    (
        "overview_caption",
        "Các phần tử của kiến trúc theo tầng, từ kênh giao tiếp tới hạ tầng; phần tử có phát hiện viền đỏ.",
        "The architecture's elements by band, from channels to infrastructure; elements with findings have a red border.",
    ),
    (
        "overview_diagram",
        "Sơ đồ tổng thể theo tầng",
        "Layered overview",
    ),
    ("owner", "Chủ trì", "Owner"),
    ("passed", "Đạt", "Passed"),
    ("path", "Đường kết nối", "Path"),
    ("rationale", "Lý do của quy tắc", "Rationale"),
    ("reason", "Lý do", "Reason"),
    (
        "reasons_vary",
        "lý do khác nhau theo phát hiện (xem báo cáo HTML)",
        "reasons differ by finding (see the HTML report)",
    ),
    ("reference_model", "Mô hình tham chiếu", "Reference model"),
    ("relations", "Quan hệ", "Relations"),
    (
        "remaining_findings",
        "Phát hiện còn lại (đã có trong danh sách chấp nhận)",
        "Remaining findings (accepted in the baseline)",
    ),
    (
        "report_title",
        "Báo cáo tuân thủ kiến trúc",
        "Architecture compliance report",
    ),
    (
        "responsible",
        "Cơ quan chịu trách nhiệm",
        "Responsible agency",
    ),
    ("result", "Kết quả", "Result"),
    ("review_date", "Ngày rà soát", "Review date"),
    ("roadmap", "Lộ trình", "Roadmap"),
    ("roadmap_item", "Hạng mục", "Item"),
    ("rule", "Quy tắc", "Rule"),
    ("rule_accepted", "Đã chấp nhận", "Accepted"),
    ("rule_doc", "Tài liệu quy tắc", "Rule documentation"),
    ("rule_failed", "Không đạt", "Failed"),
    ("rule_not_applicable", "Không áp dụng", "Not applicable"),
    ("rule_not_run", "Không chạy", "Not run"),
    (
        "rule_notes",
        "Ghi chú về căn cứ (bằng tiếng Anh)",
        "Notes on the citation",
    ),
    ("rule_passed", "Đạt", "Passed"),
    ("rules", "Quy tắc", "Rules"),
    ("rules_outcomes", "Kết quả theo quy tắc", "Rule outcomes"),
    ("rules_run", "Quy tắc đã chạy", "Rules run"),
    ("rules_section", "Quy tắc đã kiểm tra", "Rules checked"),
    ("score", "Điểm", "Score"),
    (
        "score_note",
        "Điểm là tỷ lệ quy tắc đạt trong số các quy tắc được áp dụng, có trọng số theo mức độ của quy tắc (lỗi 3, cảnh báo 2, thông tin 1); quy tắc không áp dụng không được tính. Một quy tắc đạt khi không còn phát hiện nào chưa được miễn trừ.",
        "The score is the share of the applicable rules that pass, weighted by the rule's severity (error 3, warning 2, info 1); rules that do not apply are not counted. A rule passes when none of its findings is left unwaived.",
    ),
    (
        "scorecard",
        "Bảng điểm theo mô hình tham chiếu",
        "Scorecard by reference model",
    ),
    ("severity", "Mức độ", "Severity"),
    ("severity_error", "Lỗi", "Error"),
    ("severity_info", "Thông tin", "Info"),
    ("severity_warning", "Cảnh báo", "Warning"),
    ("status", "Trạng thái", "Status"),
    ("summary", "Tổng quan", "Summary"),
    ("summary_model", "mô hình", "model"),
    ("target_date", "Thời hạn", "Target date"),
    ("tool", "Công cụ", "Tool"),
    ("total", "Tổng", "Total"),
    ("until", "Thời hạn", "Until"),
    ("version", "Phiên bản", "Version"),
    ("waived", "Miễn trừ", "Waived"),
    (
        "waived_findings",
        "Phát hiện được miễn trừ",
        "Waived findings",
    ),
    ("waived_until", "Được miễn trừ đến", "Waived until"),
    ("warnings", "Cảnh báo", "Warnings"),
    ("yes", "Có", "Yes"),
];

/// The texts of [`STRINGS`] that follow the architecture's level, with the framework's words:
/// `(key, Vietnamese, English)`, sorted by key. A text that starts with a word starts with a
/// capital letter.
pub const LEVEL_STRINGS: &[(&str, &str, &str)] = &[
    (
        "band_lgsp",
        "Nền tảng tích hợp {level} (LGSP)",
        "{level} integration platform (LGSP)",
    ),
    ("band_systems", "Hệ thống của {own}", "{own} systems"),
    (
        "integration_caption",
        "Các hệ thống của {own}, nền tảng LGSP, NDXP và hệ thống quốc gia; kết nối vi phạm được tô đỏ.",
        "{own} systems, the LGSP, the NDXP and national systems; violating connections are drawn in red.",
    ),
    (
        "model_not_adopted",
        "mô hình tham khảo, chưa được {body} phê duyệt",
        "reference model, not adopted by {body}",
    ),
];

/// The framework's words by name, then by level (`framework.toml` `[words]`).
pub type Words = BTreeMap<String, BTreeMap<String, Localized>>;

/// The fixed texts of one report: [`STRINGS`] in its language, those of [`LEVEL_STRINGS`] read
/// at the architecture's level.
#[derive(Debug, Clone)]
pub struct Texts {
    language: Language,
    level: Option<String>,
    /// The texts of [`LEVEL_STRINGS`] at the level, by key.
    at_level: BTreeMap<&'static str, String>,
}

impl Texts {
    /// The texts at `level` with the framework's `words`; the plain texts without a level or
    /// words, or where a word is missing.
    pub fn new(language: Language, level: Option<&str>, words: Option<&Words>) -> Texts {
        let mut at_level = BTreeMap::new();
        if let (Some(level), Some(words)) = (level, words) {
            for (key, vi, en) in LEVEL_STRINGS {
                let template = match language {
                    Language::Vi => vi,
                    Language::En => en,
                };
                let text = kientruc_checker::rules::with_words(template, words, level, language);
                if text.contains('{') {
                    continue;
                }
                at_level.insert(*key, capitalized(template, text));
            }
        }
        Texts {
            language,
            level: level.map(str::to_owned),
            at_level,
        }
    }

    /// The texts of a checked model's report: at its level, with its framework's words.
    pub fn of(checked: &Checked, language: Language) -> Texts {
        let words = checked
            .analysis
            .workspace
            .framework
            .as_ref()
            .and_then(|framework| framework.info.as_ref())
            .map(|info| &info.words);
        Texts::new(language, checked.level.as_deref(), words)
    }

    /// The report's language.
    pub fn language(&self) -> Language {
        self.language
    }

    /// The architecture's level, when it has one.
    pub fn level(&self) -> Option<&str> {
        self.level.as_deref()
    }

    /// One fixed text; a missing key is a bug (tests cover every key used).
    pub fn get(&self, key: &str) -> &str {
        self.at_level
            .get(key)
            .map_or_else(|| text(self.language, key), String::as_str)
    }

    /// Every text, as templates see it (`t.KEY`).
    pub fn table(&self) -> BTreeMap<&'static str, &str> {
        STRINGS
            .iter()
            .map(|(key, _, _)| (*key, self.get(key)))
            .collect()
    }
}

/// `text` with a capital first letter when its `template` starts with a word (`{own} systems`
/// → "Local systems").
fn capitalized(template: &str, text: String) -> String {
    if !template.starts_with('{') {
        return text;
    }
    let mut characters = text.chars();
    characters.next().map_or(text.clone(), |first| {
        first.to_uppercase().chain(characters).collect()
    })
}

/// One fixed text; a missing key is a bug (tests cover every key used).
pub fn text(language: Language, key: &str) -> &'static str {
    STRINGS
        .iter()
        .find(|(candidate, _, _)| *candidate == key)
        .map_or("", |(_, vi, en)| match language {
            Language::Vi => vi,
            Language::En => en,
        })
}

/// The language code used in `lang` attributes and the JSON report (`vi`, `en`).
pub fn code(language: Language) -> &'static str {
    match language {
        Language::Vi => "vi",
        Language::En => "en",
    }
}

/// The locale SARIF records for the run's messages (`vi-VN`, `en-US`).
pub fn locale(language: Language) -> &'static str {
    match language {
        Language::Vi => "vi-VN",
        Language::En => "en-US",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level_text_is_a_text() {
        let mut previous = "";
        for (key, vi, en) in LEVEL_STRINGS {
            assert!(STRINGS.iter().any(|(plain, _, _)| plain == key), "{key}");
            assert!(vi.contains('{') && en.contains('{'), "{key} names a word");
            assert!(*key > previous, "keys sorted and unique: {key}");
            previous = key;
        }
    }

    fn words() -> Words {
        let word = |ministry: (&str, &str), province: (&str, &str)| {
            [("ministry", ministry), ("province", province)]
                .into_iter()
                .map(|(level, (vi, en))| {
                    (
                        level.to_owned(),
                        Localized {
                            vi: vi.to_owned(),
                            en: en.to_owned(),
                        },
                    )
                })
                .collect()
        };
        [
            (
                "level",
                word(("cấp bộ", "ministry-level"), ("cấp tỉnh", "provincial")),
            ),
            ("own", word(("bộ", "ministry"), ("địa phương", "local"))),
            (
                "body",
                word(
                    ("Bộ", "the ministry"),
                    ("UBND tỉnh", "the provincial People's Committee"),
                ),
            ),
        ]
        .into_iter()
        .map(|(name, by_level)| (name.to_owned(), by_level))
        .collect()
    }

    #[test]
    fn the_province_reads_the_plain_texts_and_the_ministry_its_own() {
        let words = words();
        for language in [Language::Vi, Language::En] {
            let plain = Texts::new(language, None, Some(&words));
            let province = Texts::new(language, Some("province"), Some(&words));
            let no_words = Texts::new(language, Some("ministry"), None);
            for (key, _, _) in LEVEL_STRINGS {
                assert_eq!(province.get(key), text(language, key), "{key}");
                assert_eq!(plain.get(key), text(language, key), "{key}");
                assert_eq!(no_words.get(key), text(language, key), "{key}");
            }
        }
        let ministry = Texts::new(Language::Vi, Some("ministry"), Some(&words));
        assert_eq!(ministry.get("band_systems"), "Hệ thống của bộ");
        assert_eq!(ministry.get("band_lgsp"), "Nền tảng tích hợp cấp bộ (LGSP)");
        assert_eq!(
            ministry.get("model_not_adopted"),
            "mô hình tham khảo, chưa được Bộ phê duyệt"
        );
        assert_eq!(ministry.table()["band_systems"], "Hệ thống của bộ");
        let ministry = Texts::new(Language::En, Some("ministry"), Some(&words));
        assert_eq!(ministry.get("band_systems"), "Ministry systems");
        assert_eq!(
            ministry.get("band_lgsp"),
            "Ministry-level integration platform (LGSP)"
        );
        // A level the words do not know keeps the plain texts.
        let other = Texts::new(Language::Vi, Some("district"), Some(&words));
        assert_eq!(
            other.get("band_systems"),
            text(Language::Vi, "band_systems")
        );
    }

    #[test]
    fn every_text_exists_in_both_languages_once() {
        let mut previous = "";
        for (key, vi, en) in STRINGS {
            assert!(!vi.trim().is_empty() && !en.trim().is_empty(), "{key}");
            assert!(*key > previous, "keys sorted and unique: {key}");
            previous = key;
        }
    }
}
