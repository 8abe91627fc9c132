//! Process exit codes, one enum for every command (documented in docs/cli.md).

/// How a `kientruc` run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: nothing at or above the failure threshold; files formatted or already formatted.
    Success,
    /// 1: compliance findings at or above `--fail-on` remain, or `fmt --check` found files to
    /// reformat.
    Failure,
    /// 2: invalid input: syntax, resolution, metamodel, rule-pack or configuration errors, or a
    /// path that does not exist.
    InvalidInput,
    /// 3: an internal error (a bug, or an IO failure such as a full disk).
    InternalError,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::InvalidInput => 2,
            ExitStatus::InternalError => 3,
        }
    }
}
