//! The server's state. [`GlobalState`] lives on the main loop and is the only thing edits mutate:
//! open buffers, the projects (workspace roots) they belong to, and which projects need a new
//! analysis. Analyses run as a task on the rayon pool (whose threads their parallel stages
//! share), one batch at a time, over a copy of the buffers; each yields an immutable
//! [`ProjectAnalysis`], installed only if no edit arrived meanwhile (a stale result is dropped
//! and the newer text analysed). Each project keeps a parse cache, so an analysis re-parses only
//! the files whose text changed and resolves again only the element bodies of files whose
//! lookups changed, and its last rule pack, loaded again only when the pack's files change.
//! Requests read a [`Snapshot`] (a few `Arc`s) on their own threads and are answered while an
//! analysis runs; only a request about a document whose current text no analysis has read waits
//! for the pending analysis, so every answer is about the text the client sees.

use crate::diagnostics;
use crate::host::{self, Buffers, EmbeddedFrameworkFiles, OverlayProvider, Registry};
pub use crate::ide::ProjectAnalysis;
use kientruc_checker::incremental::RuleCache;
use kientruc_checker::rules::RulePackCache;
use kientruc_dsl::metamodel::Language;
use kientruc_dsl::syntax::Date;
use kientruc_dsl::text::FileId;
use kientruc_dsl::workspace::{Origin, ParseCache};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{PublishDiagnosticsParams, Uri};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How the server is set up by its caller (the `kientruc lsp` command, or a test).
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Framework packs built into the binary, used when no local `frameworks/<id>` folder exists.
    pub embedded_framework_files: EmbeddedFrameworkFiles,
    /// The date waivers and date rules are judged against; `None`: today (UTC).
    pub today: Option<Date>,
    /// How edits are batched: an edit that comes at least this long after the previous one is
    /// analysed at once; an edit that comes sooner (a burst of keystrokes) waits until the edits
    /// pause for this long, so a burst is analysed once, at its end.
    pub debounce: Duration,
    /// Where copies of embedded framework files are written so that editors can open them.
    pub cache_directory: PathBuf,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            embedded_framework_files: &[],
            today: None,
            debounce: Duration::from_millis(100),
            cache_directory: std::env::temp_dir()
                .join(format!("kientruc-lsp-{}", env!("CARGO_PKG_VERSION"))),
        }
    }
}

/// What a request handler reads: the latest analysis of every project and the open buffers.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub projects: Vec<Arc<ProjectAnalysis>>,
    pub buffers: Buffers,
    pub options: Arc<ServerOptions>,
}

impl Snapshot {
    /// The project and file id of a document; a project that checks the file as a workspace file
    /// wins over one that only imports it.
    pub fn file(&self, uri: &Uri) -> Option<(&ProjectAnalysis, FileId)> {
        let path = crate::convert::uri_to_path(uri)?;
        let mut found = None;
        for project in &self.projects {
            if let Some(file) = project.file_of_path(&path) {
                if project.source(file).origin == Origin::Workspace {
                    return Some((project, file));
                }
                found.get_or_insert((project.as_ref(), file));
            }
        }
        found
    }
}

/// Reports the wall time of one stage of an edit's analysis (`read`, `parse`, …, `rules`,
/// `diagnostics`, `publish`) as a `tracing` event of target `kientruc_lsp::timings` with the
/// fields `stage` and `micros`; the latency example collects them into its per-stage table.
fn stage_timing(stage: &str, duration: Duration) {
    tracing::debug!(
        target: "kientruc_lsp::timings",
        stage,
        micros = u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
    );
}

/// The outcome of one batch of analyses, sent from the analysis task to the main loop.
#[derive(Debug)]
pub struct AnalysisDone {
    /// Each project with its new analysis (`None`: the analysis panicked).
    pub results: Vec<(PathBuf, Option<ProjectAnalysis>)>,
    pub elapsed: Duration,
}

/// The caches one project's analyses share: parsed files, the loaded rule pack and the last
/// rule inputs and results.
#[derive(Debug, Clone, Default)]
struct ProjectCaches {
    parse: Arc<ParseCache>,
    rule_pack: Arc<RulePackCache>,
    rules: Arc<RuleCache>,
}

/// The state owned by the main loop.
pub struct GlobalState {
    sender: crossbeam_channel::Sender<Message>,
    analysis_sender: crossbeam_channel::Sender<AnalysisDone>,
    /// Where the main loop receives finished analyses.
    pub analysis_receiver: crossbeam_channel::Receiver<AnalysisDone>,
    /// True while a batch of analyses runs (a task on the rayon pool).
    analysis_running: bool,
    /// What each project's analyses keep for the next one (shared files are parsed once per
    /// project).
    caches: HashMap<PathBuf, ProjectCaches>,
    /// Requests that arrived while an analysis was pending; answered once it is installed.
    deferred: Vec<Request>,
    pub options: Arc<ServerOptions>,
    /// Workspace folders the client opened (`initialize`'s workspaceFolders or rootUri).
    pub client_roots: Vec<PathBuf>,
    /// The client's locale, used when a project's configuration sets no language.
    pub language_preference: Option<Language>,
    pub buffers: Buffers,
    projects: BTreeMap<PathBuf, Option<Arc<ProjectAnalysis>>>,
    /// The project root of each edited model file, and whether its buffer declared an
    /// `architecture` then. Finding a root reads the `.ea` files of the file's folder and those
    /// above it, which an edit would otherwise do on every keystroke; the roots are kept while
    /// edits leave every file's header as it was, and forgotten on any other change.
    roots: HashMap<PathBuf, (bool, PathBuf)>,
    dirty_projects: BTreeSet<PathBuf>,
    /// When the pending analysis is due (edits wait for the debounce period).
    pub analysis_deadline: Option<Instant>,
    /// When the last edit arrived: the next one is analysed at once only after a quiet period.
    last_edit: Option<Instant>,
    published: BTreeMap<Uri, Vec<lsp_types::Diagnostic>>,
    pub shutdown_requested: bool,
    /// Replaced analyses go to a thread of their own to be freed: freeing a 10,000-element
    /// model takes longer than publishing its successor's diagnostics.
    retired: Option<crossbeam_channel::Sender<Arc<ProjectAnalysis>>>,
}

impl GlobalState {
    pub fn new(
        sender: crossbeam_channel::Sender<Message>,
        options: ServerOptions,
        client_roots: Vec<PathBuf>,
        language_preference: Option<Language>,
    ) -> Self {
        let (analysis_sender, analysis_receiver) = crossbeam_channel::unbounded();
        let (retired, to_free) = crossbeam_channel::unbounded::<Arc<ProjectAnalysis>>();
        // If the thread cannot start, replaced analyses are freed where they are replaced.
        let retired = std::thread::Builder::new()
            .name("kientruc-lsp free".to_owned())
            .spawn(move || to_free.iter().for_each(drop))
            .ok()
            .map(|_| retired);
        Self {
            sender,
            analysis_sender,
            analysis_receiver,
            analysis_running: false,
            caches: HashMap::new(),
            deferred: Vec::new(),
            options: Arc::new(options),
            client_roots,
            language_preference,
            buffers: HashMap::new(),
            projects: BTreeMap::new(),
            roots: HashMap::new(),
            dirty_projects: BTreeSet::new(),
            analysis_deadline: None,
            last_edit: None,
            published: BTreeMap::new(),
            shutdown_requested: false,
            retired,
        }
    }

    pub fn sender(&self) -> crossbeam_channel::Sender<Message> {
        self.sender.clone()
    }

    pub fn send(&self, message: Message) {
        if self.sender.send(message).is_err() {
            tracing::warn!("the client has gone; dropping a message");
        }
    }

    /// How long an edit arriving now waits before it is analysed (see
    /// [`ServerOptions::debounce`]): nothing after a quiet period (an isolated edit gets its
    /// diagnostics as fast as the analysis allows), the debounce period within a burst.
    pub fn edit_delay(&mut self) -> Duration {
        let now = Instant::now();
        let debounce = self.options.debounce;
        let quiet = self
            .last_edit
            .is_none_or(|last| now.saturating_duration_since(last) >= debounce);
        self.last_edit = Some(now);
        if quiet { Duration::ZERO } else { debounce }
    }

    /// Marks the projects that read `path` (or will read it) for a new analysis `after` from now.
    pub fn file_changed(&mut self, path: &Path, after: Duration) {
        if host::is_model_file(path) {
            let root = self.project_root(path);
            self.projects.entry(root.clone()).or_insert(None);
            self.dirty_projects.insert(root);
        }
        for (root, analysis) in &self.projects {
            let reads_file = analysis.as_ref().is_some_and(|analysis| {
                analysis.file_of_path(path).is_some()
                    || analysis
                        .checked
                        .config
                        .baseline
                        .as_ref()
                        .is_some_and(|baseline| root.join(baseline) == path)
            });
            if reads_file
                || path
                    .file_name()
                    .is_some_and(|name| name == host::CONFIG_FILE)
            {
                self.dirty_projects.insert(root.clone());
            }
        }
        self.schedule_analysis(after);
    }

    /// The project root of a model file (see `roots`).
    fn project_root(&mut self, path: &Path) -> PathBuf {
        let declares = self
            .buffers
            .get(path)
            .map(|buffer| host::declares_architecture(&buffer.text));
        if let (Some(declares), Some((known, root))) = (declares, self.roots.get(path))
            && *known == declares
        {
            return root.clone();
        }
        // A file changed on disk or closed, or a header came or went: any root may differ now.
        self.roots.clear();
        let root = host::project_root(path, &self.client_roots, &self.buffers);
        if let Some(declares) = declares {
            self.roots
                .insert(path.to_path_buf(), (declares, root.clone()));
        }
        root
    }

    /// Marks every project for a new analysis (files created or deleted on disk).
    pub fn everything_changed(&mut self, after: Duration) {
        self.roots.clear();
        self.dirty_projects.extend(self.projects.keys().cloned());
        self.schedule_analysis(after);
    }

    fn schedule_analysis(&mut self, after: Duration) {
        if self.dirty_projects.is_empty() {
            return;
        }
        let deadline = Instant::now() + after;
        // A new edit pushes the deadline back (debounce); an immediate request pulls it forward.
        self.analysis_deadline = Some(match self.analysis_deadline {
            Some(existing) if after.is_zero() => existing.min(deadline),
            _ => deadline,
        });
    }

    /// True while an edit has not yet been analysed (waiting for the debounce period, or
    /// being analysed now).
    pub fn has_pending_analysis(&self) -> bool {
        !self.dirty_projects.is_empty() || self.analysis_running
    }

    /// Starts analysing every project marked dirty on the rayon pool, unless a batch is
    /// already running (the dirty projects then start as soon as it ends).
    pub fn start_pending_analysis(&mut self) {
        self.analysis_deadline = None;
        if self.analysis_running || self.dirty_projects.is_empty() {
            return;
        }
        let dirty = std::mem::take(&mut self.dirty_projects);
        let today = self
            .options
            .today
            .unwrap_or_else(kientruc_host::clock::today);
        let discovering = Instant::now();
        let jobs: Vec<(PathBuf, PathBuf, Vec<PathBuf>, ProjectCaches)> = dirty
            .iter()
            .map(|project| {
                let workspace = host::project_files(project, &self.client_roots, &self.buffers);
                let caches = self.caches.entry(project.clone()).or_default().clone();
                (project.clone(), workspace.root, workspace.files, caches)
            })
            .collect();
        stage_timing("discover", discovering.elapsed());
        let buffers = self.buffers.clone();
        let options = self.options.clone();
        let language_preference = self.language_preference;
        let results = self.analysis_sender.clone();
        rayon::spawn(move || {
            let started = Instant::now();
            let mut done = Vec::new();
            for (project, root, entries, caches) in jobs {
                let analysing = Instant::now();
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let provider =
                        OverlayProvider::new(&root, &buffers).with_parse_cache(&caches.parse);
                    let registry = Registry::new(
                        &root,
                        options.embedded_framework_files,
                        host::PackPaths::Absolute,
                    );
                    ProjectAnalysis::analyze(
                        &root,
                        &entries,
                        &provider,
                        &registry,
                        crate::ide::AnalysisSettings {
                            today,
                            language_preference,
                            cache_directory: &options.cache_directory,
                            pack_cache: Some(caches.rule_pack.clone()),
                            rule_cache: Some(caches.rules.clone()),
                            config: None,
                        },
                    )
                }));
                if let Ok(analysis) = &outcome {
                    let timings = &analysis.checked.analysis.timings;
                    for (stage, duration) in timings {
                        stage_timing(stage, *duration);
                    }
                    let measured: Duration = timings.iter().map(|(_, duration)| *duration).sum();
                    stage_timing(
                        "analysis (other)",
                        analysing.elapsed().saturating_sub(measured),
                    );
                }
                if outcome.is_err() {
                    tracing::error!(
                        "the analysis of {} panicked; keeping the previous result",
                        root.display()
                    );
                }
                done.push((project, outcome.ok()));
            }
            let _ = results.send(AnalysisDone {
                results: done,
                elapsed: started.elapsed(),
            });
        });
        self.analysis_running = true;
    }

    /// Installs a finished batch: a project edited while it was analysed is dropped as stale
    /// (it is dirty again and analysed anew). Publishes diagnostics, starts the next batch if
    /// edits are waiting and due, and answers the requests that waited for this analysis.
    /// Installs a batch's results and returns the waiting requests that can now be answered
    /// (the caller dispatches them).
    pub fn finish_analysis(&mut self, done: AnalysisDone) -> Vec<Request> {
        self.analysis_running = false;
        let mut installed = false;
        for (project, analysis) in done.results {
            if self.dirty_projects.contains(&project) {
                tracing::debug!("dropped a stale analysis of {}", project.display());
                continue;
            }
            if let Some(analysis) = analysis {
                tracing::info!(
                    "analysed {} ({} files) in {:?}",
                    analysis.root.display(),
                    analysis.checked.analysis.workspace.files.len(),
                    done.elapsed
                );
                if let Some(Some(replaced)) =
                    self.projects.insert(project, Some(Arc::new(analysis)))
                    && let Some(retired) = &self.retired
                {
                    let _ = retired.send(replaced);
                }
                installed = true;
            }
        }
        if installed {
            self.publish_diagnostics();
        }
        if !self.dirty_projects.is_empty()
            && self
                .analysis_deadline
                .is_none_or(|deadline| deadline <= Instant::now())
        {
            self.start_pending_analysis();
        }
        self.deferred_requests_to_answer()
    }

    /// Answers `request` now from the latest analysis, even while another analysis runs; a
    /// request about a document whose text the latest analysis has not seen (positions in it
    /// would not match) waits until that analysis is installed, and the analysis then starts
    /// without waiting for the debounce period.
    /// Returns the request when it can be answered now (the caller dispatches it); `None` when
    /// it waits.
    pub fn handle_request(&mut self, request: Request) -> Option<Request> {
        if self.has_pending_analysis() && !self.analysed_current_text(&request) {
            self.deferred.push(request);
            self.schedule_analysis(Duration::ZERO);
            None
        } else {
            Some(request)
        }
    }

    /// True when the request names no document, or a document that is not open, or one whose
    /// open text is the text its latest analysis read. A view (`kientruc/view`) draws the whole
    /// workspace: it is current only when no analysis is pending at all, so that the preview
    /// shows an edit made in another file than the one it follows.
    fn analysed_current_text(&self, request: &Request) -> bool {
        if request.method == <crate::ext::ViewRequest as lsp_types::request::Request>::METHOD {
            return !self.has_pending_analysis();
        }
        let Some(path) = request.params["textDocument"]["uri"]
            .as_str()
            .and_then(|uri| uri.parse::<Uri>().ok())
            .and_then(|uri| crate::convert::uri_to_path(&uri))
        else {
            return true;
        };
        let Some(buffer) = self.buffers.get(&path) else {
            return true;
        };
        self.projects.values().flatten().any(|analysis| {
            analysis
                .file_of_path(&path)
                .is_some_and(|file| analysis.text(file) == &*buffer.text)
        })
    }

    /// The waiting requests that can be answered now that no analysis is pending.
    fn deferred_requests_to_answer(&mut self) -> Vec<Request> {
        if self.has_pending_analysis() {
            return Vec::new();
        }
        std::mem::take(&mut self.deferred)
    }

    /// `$/cancelRequest`: a request still waiting for an analysis is answered `RequestCanceled`
    /// (one already running finishes; the client ignores its answer).
    pub fn cancel_request(&mut self, id: &RequestId) {
        if let Some(index) = self.deferred.iter().position(|request| &request.id == id) {
            let request = self.deferred.remove(index);
            self.send(
                Response::new_err(
                    request.id,
                    ErrorCode::RequestCanceled as i32,
                    "canceled by the client".to_owned(),
                )
                .into(),
            );
        }
    }

    /// A document changed: requests about an older version of it that still wait are answered
    /// `ContentModified`, as the protocol asks; the client asks again for the new text.
    pub fn document_modified(&mut self, uri: &Uri) {
        let uri = uri.as_str();
        let (outdated, waiting): (Vec<Request>, Vec<Request>) = std::mem::take(&mut self.deferred)
            .into_iter()
            .partition(|request| request.params["textDocument"]["uri"].as_str() == Some(uri));
        self.deferred = waiting;
        for request in outdated {
            self.send(
                Response::new_err(
                    request.id,
                    ErrorCode::ContentModified as i32,
                    "the document changed before the request could be answered".to_owned(),
                )
                .into(),
            );
        }
    }

    /// Publishes the diagnostics of every file whose diagnostics changed, and clears files that
    /// became clean.
    fn publish_diagnostics(&mut self) {
        let converting = Instant::now();
        let mut current: BTreeMap<Uri, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
        for analysis in self.projects.values().flatten() {
            for (uri, file_diagnostics) in diagnostics::project_diagnostics(analysis) {
                let merged = current.entry(uri).or_default();
                for diagnostic in file_diagnostics {
                    if !merged.contains(&diagnostic) {
                        merged.push(diagnostic);
                    }
                }
            }
        }
        current.retain(|_, file_diagnostics| !file_diagnostics.is_empty());
        stage_timing("diagnostics", converting.elapsed());
        let publishing = Instant::now();
        let cleared: Vec<Uri> = self
            .published
            .keys()
            .filter(|uri| !current.contains_key(uri))
            .cloned()
            .collect();
        for uri in cleared {
            self.publish(uri, Vec::new());
        }
        for (uri, file_diagnostics) in &current {
            if self.published.get(uri) != Some(file_diagnostics) {
                self.publish(uri.clone(), file_diagnostics.clone());
            }
        }
        self.published = current;
        stage_timing("publish", publishing.elapsed());
    }

    fn publish(&self, uri: Uri, file_diagnostics: Vec<lsp_types::Diagnostic>) {
        let version = crate::convert::uri_to_path(&uri)
            .and_then(|path| self.buffers.get(&path))
            .map(|buffer| buffer.version);
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics: file_diagnostics,
            version,
        };
        self.send(Message::Notification(Notification::new(
            "textDocument/publishDiagnostics".to_owned(),
            params,
        )));
    }

    /// The immutable view requests are answered from.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            projects: self.projects.values().flatten().cloned().collect(),
            buffers: self.buffers.clone(),
            options: self.options.clone(),
        }
    }
}
