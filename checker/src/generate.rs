//! A deterministic generator of large, realistic workspaces for benchmarks and scale tests:
//! provinces with their agencies, LGSP, data centre, SOC, information systems, databases and
//! public services, connected to the national reference model of vn-egov-3.0, about two
//! relations per element, nested elements, tags and waivers — and a known, small share of
//! planted violations whose elements are listed in the returned manifest, so a benchmark can
//! assert that every one is found (speed never comes from skipping work).

use std::fmt::Write as _;

/// Provinces of Vietnam (names as in official use), cycled for province-sized files.
const PROVINCES: &[&str] = &[
    "Hà Nội",
    "Hồ Chí Minh",
    "Hải Phòng",
    "Đà Nẵng",
    "Cần Thơ",
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bạc Liêu",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Định",
    "Bình Dương",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cao Bằng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Tĩnh",
    "Hải Dương",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lâm Đồng",
    "Lạng Sơn",
    "Lào Cai",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thừa Thiên Huế",
    "Tiền Giang",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
];

const SECTORS: &[&str] = &[
    "y tế",
    "giáo dục",
    "giao thông",
    "đất đai",
    "xây dựng",
    "tài chính",
    "nông nghiệp",
    "tư pháp",
    "nội vụ",
    "văn hóa",
];

/// What the generator planted, by kind of violation (element ids).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Planted {
    /// Information systems without `security_level`.
    pub missing_security_level: Vec<String>,
    /// Systems that exchange data with a national database directly (not via LGSP/NDXP).
    pub direct_national_exchange: Vec<String>,
    /// Systems that are part of a `depends_on` cycle (two per cycle; the first id listed).
    pub dependency_cycles: Vec<String>,
    /// Planted missing security levels that the model waives (reported, marked waived).
    pub waived: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Generated {
    /// (relative file name, contents), in order.
    pub files: Vec<(String, String)>,
    pub elements: usize,
    pub relations: usize,
    pub planted: Planted,
}

/// `SplitMix64`: tiny, deterministic, good enough for shaping test data.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }
}

/// Elements per province file (a realistic file size).
const PER_FILE: usize = 1000;

/// Generates a workspace of about `elements` elements.
pub fn generate(elements: usize, seed: u64) -> Generated {
    let mut random = Random(seed);
    let mut files = Vec::new();
    let mut planted = Planted::default();
    let mut element_count = 0;
    let mut relation_count = 0;
    files.push((
        "architecture.ea".to_owned(),
        "/// Mô hình quy mô lớn sinh tự động cho đo hiệu năng (kientruc gen).\narchitecture quoc_gia_sinh \"Kiến trúc sinh tự động\" {\n  framework \"vn-egov-3.0\"\n  version \"3.0\"\n  as_of 2024-12-31\n  scope province\n}\n\nimport \"framework:national.ea\" as national\n".to_owned(),
    ));
    let provinces = elements.div_ceil(PER_FILE).max(1);
    let mut system_counter = 0usize;
    for province in 0..provinces {
        let budget = PER_FILE
            .min(elements.saturating_sub(province * PER_FILE))
            .max(20);
        let name = PROVINCES[province % PROVINCES.len()];
        let round = province / PROVINCES.len();
        let display = if round == 0 {
            name.to_owned()
        } else {
            format!("{name} ({})", round + 1)
        };
        let p = format!("t{province:04}");
        let mut text = String::with_capacity(budget * 260);
        let _ = writeln!(text, "// Tỉnh {display}: mô hình sinh tự động.\n");
        let mut count = 0;
        let _ = writeln!(
            text,
            "agency {p}_ubnd \"Ủy ban nhân dân tỉnh {display}\" {{\n  level province\n  tags [generated]\n}}\n"
        );
        let departments = 10;
        for department in 0..departments {
            let sector = SECTORS[department % SECTORS.len()];
            let _ = writeln!(
                text,
                "agency {p}_so{department} \"Sở {sector} tỉnh {display}\" {{\n  level province\n  parent {p}_ubnd\n}}\n"
            );
        }
        // The province's shared infrastructure: data centre, SOC, security plan, catalogue,
        // LGSP and the administrative-procedure system, all conforming.
        let _ = writeln!(
            text,
            "data_centre {p}_ttdl \"Trung tâm dữ liệu tỉnh {display}\" {{\n  data_centre_type provincial_state\n  owner {p}_ubnd\n  country \"VN\"\n  status operational\n}}\n"
        );
        let _ = writeln!(
            text,
            "security_service {p}_soc \"Trung tâm giám sát an toàn thông tin tỉnh {display}\" {{\n  security_service_type soc\n  owner {p}_ubnd\n  coverage continuous\n  status operational\n  exchanges_with -> national.ncsc\n}}\n"
        );
        let _ = writeln!(
            text,
            "security_plan {p}_pa \"Phương án bảo đảm an toàn thông tin tỉnh {display}\" {{\n  owner {p}_ubnd\n  status operational\n  covers [policy, organisation, personnel, design_build, operation, risk_management, decommissioning, network, server, application, data]\n}}\n"
        );
        let _ = writeln!(
            text,
            "data_catalogue {p}_dm \"Danh mục cơ sở dữ liệu tỉnh {display}\" {{\n  owner {p}_ubnd\n  status operational\n}}\n"
        );
        let system_properties = |owner: &str, level: usize| -> String {
            let mut properties = format!(
                "  owner {owner}\n  operator {p}_ubnd\n  hosted_in {p}_ttdl\n  status operational\n  arm_code \"ARM.02\"\n  security_level {level}\n  level_decision \"QĐ/ATTT-{level}\"\n"
            );
            if level >= 3 {
                let _ = write!(
                    properties,
                    "  secured_by {p}_pa\n  backup true\n  last_assessment 2024-06-30\n"
                );
            }
            properties
        };
        let _ = writeln!(
            text,
            "platform {p}_lgsp \"Nền tảng tích hợp, chia sẻ dữ liệu tỉnh {display}\" {{\n  platform_type lgsp\n{}  exchanges_with -> national.ndxp\n  monitored_by -> {p}_soc\n  connected_over -> national.mang_tslcd\n}}\n",
            system_properties(&format!("{p}_ubnd"), 3)
        );
        let _ = writeln!(
            text,
            "system {p}_tthc \"Hệ thống thông tin giải quyết TTHC tỉnh {display}\" {{\n  system_type tthc_system\n{}  uses -> {p}_lgsp\n  monitored_by -> {p}_soc\n  exchanges_with -> national.dvcqg via {p}_lgsp, national.ndxp\n}}\n",
            system_properties(&format!("{p}_ubnd"), 3)
        );
        count += 1 + departments + 6;
        relation_count += 1 + 4 + 3;
        // Groups of (system, database with a nested data entity every 5th, public service).
        let mut index = 0;
        while count + 4 <= budget {
            system_counter += 1;
            let department = random.below(departments);
            let sector = SECTORS[department % SECTORS.len()];
            let system = format!("{p}_ht{index}");
            let database = format!("{p}_csdl{index}");
            let service = format!("{p}_dv{index}");
            let level = 2 + random.below(2);
            let mut properties = system_properties(&format!("{p}_so{department}"), level);
            if system_counter % 97 == 0 {
                planted.missing_security_level.push(system.clone());
                properties = properties.replace(&format!("  security_level {level}\n"), "");
            }
            let _ = write!(
                text,
                "system {system} \"Hệ thống {sector} số {index} tỉnh {display}\" {{\n  system_type sector\n{properties}"
            );
            let _ = writeln!(
                text,
                "  tags [{}]",
                if index % 2 == 0 {
                    "public-service"
                } else {
                    "internal"
                }
            );
            let _ = writeln!(text, "  uses -> {p}_lgsp");
            let _ = writeln!(text, "  monitored_by -> {p}_soc");
            let _ = writeln!(text, "  reads -> {database}");
            relation_count += 3;
            if index > 0 {
                let _ = writeln!(text, "  exchanges_with -> {p}_ht{} via {p}_lgsp", index - 1);
                relation_count += 1;
            }
            if system_counter % 211 == 0 {
                planted.direct_national_exchange.push(system.clone());
                let _ = writeln!(
                    text,
                    "  exchanges_with -> national.csdl_bao_hiem \"tra cứu trực tiếp\""
                );
                relation_count += 1;
            } else if index % 3 == 0 {
                let _ = writeln!(
                    text,
                    "  exchanges_with -> national.csdl_bao_hiem \"tra cứu bảo hiểm\" via {p}_lgsp, national.ndxp"
                );
                relation_count += 1;
            }
            text.push_str("}\n\n");
            let _ = write!(
                text,
                "database {database} \"Cơ sở dữ liệu {sector} số {index}\" {{\n  database_class provincial_shared\n  owner {p}_so{department}\n  operator {p}_ubnd\n  hosted_in {p}_ttdl\n  info_class public\n  drm_code \"DRM002.001\"\n  data_layer transactional\n  status operational\n  catalogued_in -> {p}_dm\n"
            );
            relation_count += 1;
            if index % 5 == 0 {
                let _ = writeln!(
                    text,
                    "  data_entity {database}_ho_so \"Hồ sơ {sector}\" {{\n    info_class public\n  }}"
                );
                count += 1;
            }
            text.push_str("}\n\n");
            let _ = writeln!(
                text,
                "public_service {service} \"Thủ tục {sector} số {index}\" {{\n  online_level full\n  online_payment false\n  brm_code \"BRM01.{department:02}\"\n  owner {p}_so{department}\n  status operational\n  exposes_on -> national.dvcqg\n}}\n"
            );
            let _ = writeln!(text, "realizes {p}_tthc -> {service}\n");
            relation_count += 2;
            count += 3;
            if system_counter % 503 == 0 && index > 0 {
                planted
                    .dependency_cycles
                    .push(format!("{p}_ht{}", index - 1));
                let _ = writeln!(
                    text,
                    "depends_on {p}_ht{} -> {system}\ndepends_on {system} -> {p}_ht{}\n",
                    index - 1,
                    index - 1
                );
                relation_count += 2;
            }
            index += 1;
        }
        // Every 7th province waives its first planted missing security level.
        if province % 7 == 3
            && let Some(first) = planted
                .missing_security_level
                .iter()
                .find(|id| id.starts_with(&format!("{p}_")))
        {
            let _ = writeln!(
                text,
                "waive SEC-001 on {first} until 2099-12-31 \"đang thẩm định hồ sơ cấp độ (sinh tự động)\"\n"
            );
            planted.waived.push(first.clone());
        }
        element_count += count;
        files.push((format!("tinh/{p}.ea"), text.trim_end().to_owned() + "\n"));
    }
    planted.dependency_cycles.sort();
    Generated {
        files,
        elements: element_count,
        relations: relation_count,
        planted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_and_sized() {
        let first = generate(3000, 7);
        let second = generate(3000, 7);
        assert_eq!(first.files, second.files);
        assert_eq!(first.files.len(), 4);
        assert!(
            (2900..=3100).contains(&first.elements),
            "{}",
            first.elements
        );
        assert!(
            first.relations >= first.elements * 2 - first.elements / 5,
            "{} relations",
            first.relations
        );
        assert_ne!(generate(3000, 8).files, first.files);
    }
}
