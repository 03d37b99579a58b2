//! The store's one error type.

/// What can go wrong in the store. Callers turn the user-caused ones into localised replies;
/// database details stay in logs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database refused or failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Migrations failed.
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The URL is neither `sqlite:` nor `postgres:`. Only its scheme is kept: the rest may
    /// carry a password, and errors get printed.
    #[error("unsupported database URL scheme {0:?}: use sqlite://FILE or postgres://…")]
    UnsupportedUrl(String),
    /// No such campaign is loaded.
    #[error("campaign {0} is not loaded")]
    UnknownCampaign(i32),
    /// A region code not in the regions file.
    #[error("unknown region {0:?}")]
    UnknownRegion(String),
    /// No class session with that code.
    #[error("no class session {0:?}")]
    ClassNotFound(String),
    /// The class session is closed.
    #[error("class session {0:?} is closed")]
    ClassClosed(String),
    /// Only the person who opened the class may close it.
    #[error("only the person who opened class session {0:?} may close it")]
    NotClassOwner(String),
    /// A data file (campaign, regions) is invalid.
    #[error("invalid data file: {0}")]
    Data(String),
    /// A bundled or named vocabulary file (campaign, regions) is invalid.
    #[error(transparent)]
    Vocabulary(#[from] ruban_vocabulary::VocabularyError),
    /// Writing an export failed.
    #[error("cannot write the export: {0}")]
    Export(String),
    /// A pledge batch could not be committed; nothing of it was acknowledged.
    #[error("the write failed: {0}")]
    WriteFailed(String),
    /// The database does not answer, or its place does not exist: the reason, said once.
    #[error("{0}")]
    Unreachable(String),
    /// The store is shutting down.
    #[error("the store is shutting down")]
    Closed,
}

/// The store's result type.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
