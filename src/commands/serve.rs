//! `kientruc serve`: the workspace's views as a local web page that follows the files. One
//! analysis at a time is current ([`Live`]); a watcher ([`watch`]) re-analyses the workspace when
//! a model, rule-pack or configuration file changes, with the language server's incremental
//! analysis (`kientruc_lsp::ide::ProjectAnalysis`, reusing its parse and rule-pack caches), and
//! tells every open page through server-sent events. The HTTP side ([`http`]) serves embedded
//! assets and JSON built by `kientruc-reports` (`views::{catalogue, render, payload}`, the report's
//! view model for an element's details): it reads no file by URL path, answers GET and HEAD only,
//! and refuses a request whose Host is not the address it listens on (DNS rebinding).

mod api;
mod http;

use crate::args::{LanguageArg, ServeArgs};
use crate::exit::ExitStatus;
use crate::host;
use kientruc_checker::rules::RulePackCache;
use kientruc_dsl::metamodel::Language;
use kientruc_dsl::workspace::ParseCache;
use kientruc_lsp::host::{Buffers, OverlayProvider};
use kientruc_lsp::ide::{AnalysisSettings, ProjectAnalysis};
use kientruc_reports::view::ReportView;
use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock, mpsc};
use std::time::{Duration, Instant};

/// How long the watcher waits for a burst of file events to end before analysing.
const DEBOUNCE: Duration = Duration::from_millis(100);

/// One analysis of the workspace, as the pages see it.
pub struct Analysed {
    /// Counts analyses from 1; a page compares it with the one it shows.
    pub version: u64,
    pub project: Arc<ProjectAnalysis>,
    /// The latest analysis without input errors, when this one has some: a view the broken
    /// model cannot draw is drawn from it, greyed.
    pub last_good: Option<Arc<ProjectAnalysis>>,
    /// The report's view model per language (findings with citation and fix, diagnostics),
    /// built on first use.
    reports: Mutex<HashMap<Language, Arc<ReportView>>>,
}

impl Analysed {
    fn new(version: u64, project: ProjectAnalysis, previous: Option<&Analysed>) -> Self {
        let last_good = previous.and_then(|previous| {
            if previous.project.checked.analysis.error_count() == 0 {
                Some(previous.project.clone())
            } else {
                previous.last_good.clone()
            }
        });
        Self {
            version,
            project: Arc::new(project),
            last_good,
            reports: Mutex::new(HashMap::new()),
        }
    }

    pub fn errors(&self) -> usize {
        self.project.checked.analysis.error_count()
    }

    /// The report's view model of this analysis in `language`.
    pub fn report(&self, language: Language) -> Arc<ReportView> {
        let mut reports = self
            .reports
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        reports
            .entry(language)
            .or_insert_with(|| {
                let options = kientruc_reports::ReportOptions {
                    language,
                    tool_version: env!("CARGO_PKG_VERSION").to_owned(),
                    ..kientruc_reports::ReportOptions::default()
                };
                let report = kientruc_reports::Report::new(&self.project.checked, &options);
                Arc::new(kientruc_reports::view::build(&report))
            })
            .clone()
    }
}

/// The current analysis and the pages listening for the next one.
pub struct Live {
    current: RwLock<Arc<Analysed>>,
    listeners: Mutex<Vec<mpsc::Sender<u64>>>,
    /// The page's first language.
    pub language: Language,
    /// Names this run of the server in events: a page that reconnects to a restarted server
    /// (whose versions count from 1 again) fetches everything again.
    pub instance: String,
}

impl Live {
    pub fn current(&self) -> Arc<Analysed> {
        self.current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Makes `project` the current analysis and tells every listening page its version.
    fn install(&self, project: ProjectAnalysis) -> u64 {
        let version = {
            let mut current = self
                .current
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let version = current.version + 1;
            *current = Arc::new(Analysed::new(version, project, Some(&current)));
            version
        };
        self.listeners
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .retain(|listener| listener.send(version).is_ok());
        version
    }

    /// A channel that receives the version of every analysis installed from now on; it is
    /// forgotten once its receiver is dropped (the page went away).
    pub fn listen(&self) -> mpsc::Receiver<u64> {
        let (sender, receiver) = mpsc::channel();
        self.listeners
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(sender);
        receiver
    }
}

/// Analyses the workspace of the path arguments as the language server analyses a project:
/// discovery again each time (files come and go), the shared parse cache (only changed files are
/// parsed again) and rule-pack cache.
struct Analyser {
    paths: Vec<PathBuf>,
    language: Option<Language>,
    parse_cache: ParseCache,
    rule_pack: Arc<RulePackCache>,
    cache_directory: PathBuf,
}

impl Analyser {
    fn analyse(&self) -> Result<ProjectAnalysis, String> {
        let workspace = host::discover(&self.paths).map_err(|error| error.0)?;
        let buffers = Buffers::new();
        let provider =
            OverlayProvider::new(&workspace.root, &buffers).with_parse_cache(&self.parse_cache);
        let registry = host::registry(&workspace.root);
        Ok(ProjectAnalysis::analyze(
            &workspace.root,
            &workspace.files,
            &provider,
            &registry,
            AnalysisSettings {
                today: kientruc_host::clock::today(),
                language_preference: self.language,
                cache_directory: &self.cache_directory,
                pack_cache: Some(self.rule_pack.clone()),
                rule_cache: None,
                // `--config FILE`, read again with each analysis (it may change too).
                config: crate::commands::check::configuration()?,
            },
        ))
    }
}

fn language_of(argument: LanguageArg) -> Language {
    match argument {
        LanguageArg::Vi => Language::Vi,
        LanguageArg::En => Language::En,
    }
}

// The signature every command has (main.rs dispatches on it); serving ends only with the process.
#[allow(clippy::unnecessary_wraps)]
pub fn run(args: &ServeArgs) -> anyhow::Result<ExitStatus> {
    let started = Instant::now();
    let analyser = Analyser {
        paths: args.paths.clone(),
        language: args.lang.map(language_of),
        parse_cache: ParseCache::default(),
        rule_pack: Arc::new(RulePackCache::default()),
        cache_directory: std::env::temp_dir()
            .join(format!("kientruc-serve-{}", env!("CARGO_PKG_VERSION"))),
    };
    let root = match host::discover(&args.paths) {
        Ok(workspace) => workspace.root,
        Err(error) => {
            eprintln!("error: {}", error.0);
            return Ok(ExitStatus::InvalidInput);
        }
    };
    let first = match analyser.analyse() {
        Ok(project) => project,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(ExitStatus::InvalidInput);
        }
    };
    // `--lang` first, else the configuration's language, else Vietnamese.
    let language = args.lang.map_or(first.language, language_of);
    let live = Arc::new(Live {
        current: RwLock::new(Arc::new(Analysed::new(1, first, None))),
        listeners: Mutex::new(Vec::new()),
        language,
        instance: format!(
            "{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |elapsed| elapsed.as_millis())
        ),
    });

    let host_name = args.host.clone().unwrap_or_else(|| "127.0.0.1".to_owned());
    let address = if host_name.contains(':') && !host_name.starts_with('[') {
        format!("[{host_name}]:{}", args.port)
    } else {
        format!("{host_name}:{}", args.port)
    };
    let server = match tiny_http::Server::http(&address) {
        Ok(server) => server,
        Err(error) => {
            eprintln!("error: cannot listen on {address}: {error}");
            return Ok(ExitStatus::InvalidInput);
        }
    };
    let port = server
        .server_addr()
        .to_ip()
        .map_or(args.port, |bound| bound.port());
    let loopback = is_loopback(&host_name);
    if !loopback {
        eprintln!(
            "warning: listening on {host_name}, not on 127.0.0.1 only: anyone who can reach this \
             address can read the model's views, elements and findings"
        );
    }
    let allowed_hosts = http::allowed_hosts(&host_name, port, loopback);

    // Watching is best effort: without it the page still serves the first analysis.
    if let Err(error) = watch(&root, analyser, live.clone()) {
        eprintln!(
            "warning: cannot watch {} for changes ({error}); the page will not follow edits",
            root.display()
        );
    }

    let shown_host = if loopback && host_name == "127.0.0.1" {
        "127.0.0.1".to_owned()
    } else {
        address
            .rsplit_once(':')
            .map_or(host_name.clone(), |(host, _)| host.to_owned())
    };
    let url = format!("http://{shown_host}:{port}/");
    eprintln!(
        "kientruc serve: {url} (workspace {}, ready in {} ms; Ctrl-C to stop)",
        root.display(),
        started.elapsed().as_millis()
    );
    if args.open {
        open_browser(&url);
    }
    let allowed_hosts = Arc::new(allowed_hosts);
    for request in server.incoming_requests() {
        let live = live.clone();
        let allowed_hosts = allowed_hosts.clone();
        let spawned = std::thread::Builder::new()
            .name("kientruc serve request".to_owned())
            .spawn(move || http::handle(request, &live, &allowed_hosts));
        if let Err(error) = spawned {
            tracing::warn!("cannot start a thread for a request: {error}");
        }
    }
    Ok(ExitStatus::Success)
}

/// Whether the address given to `--host` is a loopback one (no warning, and the loopback names
/// are accepted in the Host header).
fn is_loopback(host_name: &str) -> bool {
    host_name.eq_ignore_ascii_case("localhost")
        || host_name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|address| address.is_loopback())
}

/// Whether a changed path can change the analysis: a model file, a rule pack or the
/// configuration (`.toml`), a baseline (`.json`), outside version-control and build folders
/// of the workspace `root`.
fn is_watched(root: &Path, path: &Path) -> bool {
    let below = path.strip_prefix(root).unwrap_or(path);
    let hidden = below.components().any(|component| {
        let name = component.as_os_str();
        name == ".git" || name == "target" || name == "node_modules"
    });
    !hidden
        && path.extension().is_some_and(|extension| {
            extension == "ea" || extension == "toml" || extension == "json"
        })
}

/// The folders whose changes can change `project`'s analysis: the workspace root and the folder
/// of every file on disk the analysis read (model files, rule packs, the configuration, local
/// framework packs). Watching these rather than the whole tree keeps build and version-control
/// folders (`target/`, `.git/`, `node_modules/`) out.
fn folders_to_watch(root: &Path, project: &ProjectAnalysis) -> BTreeSet<PathBuf> {
    let mut folders = BTreeSet::from([root.to_path_buf()]);
    for (_, source) in project.checked.analysis.workspace.files.iter() {
        if let Some(parent) = source.path.parent()
            && parent.is_dir()
        {
            folders.insert(parent.to_path_buf());
        }
    }
    folders
}

/// What the watcher reports to the analysis thread.
enum Change {
    /// A file that can change the analysis changed.
    File,
    /// A folder appeared below a watched one: watch it too (files may follow), and analyse.
    Folder(PathBuf),
}

/// Whether a new folder below the workspace `root` is watched (not a build or version-control
/// folder).
fn is_watched_folder(root: &Path, path: &Path) -> bool {
    path.strip_prefix(root).is_ok_and(|below| {
        !below.components().any(|component| {
            let name = component.as_os_str();
            name == ".git" || name == "target" || name == "node_modules"
        })
    })
}

/// Watches the folders of the current analysis ([`folders_to_watch`]); after each burst of
/// changes (quiet for [`DEBOUNCE`]), analyses the workspace again on a thread of its own, installs
/// the result and watches the folders it reads. The thread owns the watcher and runs as long as
/// the process.
fn watch(root: &Path, analyser: Analyser, live: Arc<Live>) -> notify::Result<()> {
    use notify::Watcher as _;
    use notify::event::{CreateKind, EventKind};
    let (change_sender, changes) = mpsc::channel::<Change>();
    let watched_root = root.to_path_buf();
    let mut watcher =
        notify::recommended_watcher(move |event: notify::Result<notify::Event>| match event {
            Ok(event) if matches!(event.kind, EventKind::Create(CreateKind::Folder)) => {
                for path in event.paths {
                    if is_watched_folder(&watched_root, &path) {
                        let _ = change_sender.send(Change::Folder(path));
                    }
                }
            }
            Ok(event) => {
                if !event.kind.is_access()
                    && event
                        .paths
                        .iter()
                        .any(|path| is_watched(&watched_root, path))
                {
                    let _ = change_sender.send(Change::File);
                }
            }
            Err(error) => tracing::warn!("file watching: {error}"),
        })?;
    let mut watched_folders = folders_to_watch(root, &live.current().project);
    for folder in &watched_folders {
        watcher.watch(folder, notify::RecursiveMode::NonRecursive)?;
    }
    let root = root.to_path_buf();
    std::thread::Builder::new()
        .name("kientruc serve analysis".to_owned())
        .spawn(move || {
            let mut watch_folder = |folder: PathBuf, folders: &mut BTreeSet<PathBuf>| {
                if !folders.contains(&folder) {
                    match watcher.watch(&folder, notify::RecursiveMode::NonRecursive) {
                        Ok(()) => {
                            folders.insert(folder);
                        }
                        Err(error) => tracing::warn!("cannot watch {}: {error}", folder.display()),
                    }
                }
            };
            while let Ok(change) = changes.recv() {
                // A new folder is analysed too: files written in it before it was watched are
                // found by the analysis.
                if let Change::Folder(folder) = change {
                    watch_folder(folder, &mut watched_folders);
                }
                let burst = Instant::now();
                while burst.elapsed() < Duration::from_secs(1) {
                    match changes.recv_timeout(DEBOUNCE) {
                        Ok(Change::File) => {}
                        Ok(Change::Folder(folder)) => watch_folder(folder, &mut watched_folders),
                        Err(_) => break,
                    }
                }
                let started = Instant::now();
                let outcome =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| analyser.analyse()));
                match outcome {
                    Ok(Ok(project)) => {
                        for folder in folders_to_watch(&root, &project) {
                            watch_folder(folder, &mut watched_folders);
                        }
                        let version = live.install(project);
                        tracing::info!(
                            "analysis {version} in {} ms",
                            started.elapsed().as_millis()
                        );
                    }
                    Ok(Err(message)) => eprintln!("error: {message}"),
                    Err(_) => {
                        eprintln!("error: the analysis panicked; the page keeps the previous one");
                    }
                }
            }
        })
        .map_err(notify::Error::io)?;
    Ok(())
}

/// Opens `url` in the default browser; a failure is a warning (the address is printed anyway).
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut command = std::process::Command::new("cmd");
        command.args(["/c", "start", ""]);
        command
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    match command.spawn() {
        // Reap it on a thread: a browser launcher may take a moment to return.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(error) => eprintln!("warning: cannot open a browser ({error}); open {url} yourself"),
    }
}

#[cfg(test)]
mod tests {
    use super::{is_loopback, is_watched, is_watched_folder};
    use std::path::Path;

    #[test]
    fn loopback_addresses() {
        assert!(is_loopback("127.0.0.1"));
        assert!(is_loopback("localhost"));
        assert!(is_loopback("::1"));
        assert!(is_loopback("[::1]"));
        assert!(!is_loopback("0.0.0.0"));
        assert!(!is_loopback("192.168.1.20"));
    }

    #[test]
    fn watched_files() {
        let root = Path::new("/w");
        assert!(is_watched(root, Path::new("/w/hanoi/data.ea")));
        assert!(is_watched(root, Path::new("/w/hanoi/kientruc.toml")));
        assert!(is_watched(root, Path::new("/w/hanoi/rules/pack.toml")));
        assert!(!is_watched(root, Path::new("/w/hanoi/notes.md")));
        assert!(!is_watched(root, Path::new("/w/target/debug/x.json")));
        assert!(!is_watched(root, Path::new("/w/.git/index.toml")));
        // A workspace inside a build folder is watched (the tests' copies are).
        let inside = Path::new("/repo/target/tmp/copy");
        assert!(is_watched(inside, Path::new("/repo/target/tmp/copy/a.ea")));
        assert!(is_watched_folder(root, Path::new("/w/new")));
        assert!(!is_watched_folder(root, Path::new("/w/target/debug")));
        assert!(!is_watched_folder(root, Path::new("/elsewhere")));
    }
}
