//! What running one case through Ferry gave: an output, a Ferry error at some stage, or a
//! reason the case could not be run.

use std::fmt;

use connect_api::error::DataErrorKind;
use connect_api::ConnectError;

use crate::out::Out;

/// Where an error happened, with the cases' stage names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// Building (configuring) a converter or transform.
    Configure,
    /// Building (configuring) a predicate.
    ConfigurePredicate,
    /// Parsing an input schema (`asConnectSchema`).
    Parse,
    /// The converter or `Values` call itself.
    Convert,
    /// A transform's `apply`.
    Apply,
    /// Rendering the output (e.g. `asJsonSchema` of a result schema).
    Render,
    /// A stage name this runner does not know.
    Other(String),
}

impl Stage {
    /// The stage named in a case (`"configure"`, `"convert"`, …).
    pub fn from_name(name: &str) -> Stage {
        match name {
            "configure" => Stage::Configure,
            "configurePredicate" => Stage::ConfigurePredicate,
            "parse" => Stage::Parse,
            "convert" => Stage::Convert,
            "apply" => Stage::Apply,
            "render" => Stage::Render,
            other => Stage::Other(other.to_string()),
        }
    }

    /// Whether the stage is the construction of a plugin (its configuration).
    pub fn is_construction(&self) -> bool {
        matches!(self, Stage::Configure | Stage::ConfigurePredicate)
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Configure => "configure",
            Stage::ConfigurePredicate => "configurePredicate",
            Stage::Parse => "parse",
            Stage::Convert => "convert",
            Stage::Apply => "apply",
            Stage::Render => "render",
            Stage::Other(s) => s,
        })
    }
}

/// The kind of a Ferry error, as far as the comparison cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FerryErrorKind {
    /// `ConnectError::Config`.
    Config,
    /// `ConnectError::Data` with its Java exception kind.
    Data(DataErrorKind),
    /// `ConnectError::Retriable`.
    Retriable,
    /// `ConnectError::Other`.
    Other,
    /// A skeleton's "not implemented yet" error: never an agreement.
    NotImplemented,
}

/// A Ferry error, detached from the `ConnectError` (which is not `Clone`).
#[derive(Debug, Clone, PartialEq)]
pub struct FerryError {
    /// What kind of error.
    pub kind: FerryErrorKind,
    /// Its message, followed by the messages of its sources.
    pub message: String,
}

impl From<&ConnectError> for FerryError {
    fn from(e: &ConnectError) -> Self {
        let kind = match e {
            ConnectError::Config(_) => FerryErrorKind::Config,
            ConnectError::Data { kind, .. } => FerryErrorKind::Data(*kind),
            ConnectError::Retriable { .. } => FerryErrorKind::Retriable,
            ConnectError::Other { message, .. } if message.contains("not implemented") => {
                FerryErrorKind::NotImplemented
            }
            _ => FerryErrorKind::Other,
        };
        let mut message = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            message.push_str(" (caused by: ");
            message.push_str(&s.to_string());
            message.push(')');
            source = s.source();
        }
        FerryError { kind, message }
    }
}

impl fmt::Display for FerryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            FerryErrorKind::Config => "Config",
            FerryErrorKind::Data(DataErrorKind::SchemaBuilder) => "Data/SchemaBuilder",
            FerryErrorKind::Data(DataErrorKind::SchemaProjector) => "Data/SchemaProjector",
            FerryErrorKind::Data(_) => "Data",
            FerryErrorKind::Retriable => "Retriable",
            FerryErrorKind::Other => "Other",
            FerryErrorKind::NotImplemented => "Other/not implemented",
        };
        write!(f, "{kind}: {}", self.message)
    }
}

/// Why a case gave no output.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// Ferry raised an error.
    Ferry {
        /// Where.
        stage: Stage,
        /// Which transform of a chain, if any.
        transform_index: Option<usize>,
        /// The error.
        error: FerryError,
    },
    /// The case cannot be run: malformed line, unknown op, undecodable input.
    Invalid(String),
    /// The runner does not run this op yet.
    NotImplemented(String),
    /// Ferry panicked.
    Panic(String),
}

impl Failure {
    /// A Ferry error at `stage`.
    pub fn ferry(stage: Stage, error: &ConnectError) -> Failure {
        Failure::Ferry {
            stage,
            transform_index: None,
            error: error.into(),
        }
    }

    /// An invalid case.
    pub fn invalid(reason: impl Into<String>) -> Failure {
        Failure::Invalid(reason.into())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Ferry {
                stage,
                transform_index,
                error,
            } => {
                write!(f, "Ferry error at stage {stage}")?;
                if let Some(i) = transform_index {
                    write!(f, " (transform {i})")?;
                }
                write!(f, ": {error}")
            }
            Failure::Invalid(r) => write!(f, "invalid case: {r}"),
            Failure::NotImplemented(r) => write!(f, "not implemented: {r}"),
            Failure::Panic(r) => write!(f, "Ferry panicked: {r}"),
        }
    }
}

/// What Ferry produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Produced {
    /// The rendered output.
    pub out: Out,
    /// The output is a null schema with a null value from an API that cannot tell it from
    /// Java's null `SchemaAndValue` object (a header converter), so it also matches an
    /// expected `isNullSchemaAndValue`.
    pub null_sav_ok: bool,
}

impl Produced {
    /// An output.
    pub fn new(out: Out) -> Produced {
        Produced {
            out,
            null_sav_ok: false,
        }
    }
}

/// The result of running one case.
pub type Outcome = Result<Produced, Failure>;
