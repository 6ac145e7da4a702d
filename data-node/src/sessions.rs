//! Live sessions, found by their session token (wire protocol) or id (REST API).
//!
//! A session runs one statement at a time (its mutex); different sessions run concurrently.
//! Statements run on the blocking thread pool, never on the async runtime's workers.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use engine::query_history::{read_history, SharedQueryHistory};
use engine::recent_results::RecentResults;
use engine::{QueryResult, Session, SessionState, SfError, SfResult};
use parking_lot::{Mutex, RwLock};
use rand::RngCore;

/// How long a session token stays valid without renewal, and the master token.
pub const SESSION_VALIDITY: Duration = Duration::from_secs(3600);
pub const MASTER_VALIDITY: Duration = Duration::from_secs(4 * 3600);

/// What a client said about itself at login that changes how results are sent.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    /// CLIENT_APP_ID: "PythonConnector", "JavaScript", "Go", "JDBC"...
    pub app_id: String,
    /// PYTHON_CONNECTOR_QUERY_RESULT_FORMAT from the login's session parameters.
    pub result_format: Option<String>,
}

pub struct SessionHandle {
    pub id: i64,
    pub account: String,
    pub client: ClientInfo,
    pub master_token: String,
    /// When the master token stops renewing session tokens.
    pub master_expires: Instant,
    session: Mutex<Session>,
    /// The query id of the statement running now, if it was started with `run_query`. Held
    /// while interrupting, so an interrupt meant for one query never lands on the next.
    current_query: Mutex<Option<String>>,
    interrupt: Arc<engine::InterruptHandle>,
    /// The ids of the session's queries (shared with the engine session, which reads them for
    /// LAST_QUERY_ID), readable without waiting for a running statement.
    query_history: Arc<SharedQueryHistory>,
    /// The account's kept results (RESULT_SCAN inside a larger query), shared with the
    /// engine session.
    recent_results: Arc<RecentResults>,
    pub created: Instant,
}

impl SessionHandle {
    /// Runs one statement on the blocking pool.
    pub async fn execute(self: &Arc<Self>, sql: String) -> SfResult<(QueryResult, SessionState)> {
        self.run(move |session| session.execute(&sql)).await
    }

    /// Runs `work` on the session, on the blocking pool, and returns its outcome with the
    /// session's state after it.
    pub async fn run<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&mut Session) -> SfResult<T> + Send + 'static,
    ) -> SfResult<(T, SessionState)> {
        let handle = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut session = handle.session.lock();
            let outcome = work(&mut session)?;
            Ok((outcome, session.state().clone()))
        })
        .await
        .map_err(|e| SfError::internal(format!("statement task failed: {e}")))?
    }

    /// `run`, with the session known to be running `query_id` while `work` runs, so that
    /// `cancel_query` can interrupt exactly that query.
    pub async fn run_query<T: Send + 'static>(
        self: &Arc<Self>,
        query_id: &str,
        work: impl FnOnce(&mut Session) -> SfResult<T> + Send + 'static,
    ) -> SfResult<(T, SessionState)> {
        let handle = self.clone();
        let query_id = query_id.to_string();
        tokio::task::spawn_blocking(move || {
            let mut session = handle.session.lock();
            *handle.current_query.lock() = Some(query_id.clone());
            let outcome = work(&mut session);
            *handle.current_query.lock() = None;
            session.keep_result_as(&query_id);
            handle.record_query(&query_id);
            Ok((outcome?, session.state().clone()))
        })
        .await
        .map_err(|e| SfError::internal(format!("statement task failed: {e}")))?
    }

    /// Adds a query to the session's history (after it ran: LAST_QUERY_ID() in a statement
    /// names the query before it).
    pub fn record_query(&self, query_id: &str) {
        let mut history = self
            .query_history
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        history.push(query_id);
    }

    /// Records a whole-result RESULT_SCAN: its new query id names the same result as the
    /// query it scanned, both in the session's history and for later scans.
    pub fn record_rescan(&self, query_id: &str, scanned: Option<&str>) {
        if let Some(scanned) = scanned {
            self.recent_results.alias(scanned, query_id);
        }
        self.record_query(query_id);
    }

    /// LAST_QUERY_ID(position) of this session.
    pub fn last_query_id(&self, position: i64) -> Option<String> {
        read_history(&self.query_history, |history| {
            history.nth(position).map(str::to_owned)
        })
    }

    /// Interrupts the running statement if it is `query_id`; whether it was.
    pub fn cancel_query(&self, query_id: &str) -> bool {
        let current = self.current_query.lock();
        let running = current.as_deref() == Some(query_id);
        if running {
            self.interrupt.interrupt();
        }
        running
    }

    pub fn state(&self) -> SessionState {
        self.session.lock().state().clone()
    }

    /// Cancels the running statement, if any; it fails with 000604.
    pub fn cancel(&self) {
        self.interrupt.interrupt();
    }

    /// Applies the database/schema/warehouse/role a client asked for at login. A database
    /// or schema that does not exist leaves it unset, as Snowflake does.
    pub fn apply_login_context(
        &self,
        database: Option<&str>,
        schema: Option<&str>,
        warehouse: Option<&str>,
        role: Option<&str>,
    ) {
        let mut session = self.session.lock();
        let quoted = |name: &str| engine::rewrite::idents::quote(&login_name(name));
        if let Some(db) = database {
            let _ = session.execute(&format!("USE DATABASE {}", quoted(db)));
            if let Some(schema) = schema {
                let _ = session.execute(&format!("USE SCHEMA {}", quoted(schema)));
            }
        }
        if let Some(wh) = warehouse {
            let _ = session.execute(&format!("USE WAREHOUSE {}", quoted(wh)));
        }
        if let Some(role) = role {
            let _ = session.execute(&format!("USE ROLE {}", quoted(role)));
        }
    }
}

/// Names at login arrive as typed; unquoted they fold to upper case, quoted they keep case.
pub(crate) fn login_name(name: &str) -> String {
    match name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
        Some(quoted) => quoted.replace("\"\"", "\""),
        None => name.to_uppercase(),
    }
}

/// How long tokens live. A session token expires after `session` (clients renew it with the
/// master token, 390112); the master token after `master` (the client must log in again, 390114).
#[derive(Debug, Clone, Copy)]
pub struct TokenValidity {
    pub session: Duration,
    pub master: Duration,
}

impl Default for TokenValidity {
    fn default() -> Self {
        Self {
            session: SESSION_VALIDITY,
            master: MASTER_VALIDITY,
        }
    }
}

/// What a session token turned out to be.
pub enum TokenLookup {
    Valid(Arc<SessionHandle>),
    /// Known, but past its validity: renew it (390112).
    Expired,
    Unknown,
}

/// Why a renewal was refused.
pub enum RenewFailure {
    /// No session has that token and master token.
    NotFound,
    /// The master token itself has expired; the session is gone (390114).
    MasterExpired,
}

struct TokenEntry {
    handle: Arc<SessionHandle>,
    expires: Instant,
}

#[derive(Default)]
pub struct Sessions {
    by_token: RwLock<HashMap<String, TokenEntry>>,
    next_id: Mutex<i64>,
    validity: TokenValidity,
}

impl Sessions {
    pub fn with_validity(validity: TokenValidity) -> Self {
        Self {
            validity,
            ..Default::default()
        }
    }

    pub fn validity(&self) -> TokenValidity {
        self.validity
    }

    /// Registers a session; returns its handle and its session token. Sessions whose master
    /// token has expired are released here, so abandoned sessions do not pile up.
    pub fn register(
        &self,
        account: &str,
        mut session: Session,
        client: ClientInfo,
    ) -> (Arc<SessionHandle>, String) {
        let id = {
            let mut next = self.next_id.lock();
            *next += 1;
            1_000_000 + *next
        };
        session.set_session_id(id);
        session.set_keeps_results(true);
        let interrupt = session.interrupt_handle();
        let query_history = session.query_history();
        let recent_results = session.recent_results();
        let now = Instant::now();
        let handle = Arc::new(SessionHandle {
            id,
            account: account.to_string(),
            client,
            master_token: random_token(),
            master_expires: now + self.validity.master,
            session: Mutex::new(session),
            current_query: Mutex::new(None),
            interrupt,
            query_history,
            recent_results,
            created: now,
        });
        let token = random_token();
        let mut tokens = self.by_token.write();
        tokens.retain(|_, entry| entry.handle.master_expires > now);
        tokens.insert(
            token.clone(),
            TokenEntry {
                handle: handle.clone(),
                expires: now + self.validity.session,
            },
        );
        (handle, token)
    }

    pub fn lookup(&self, token: &str) -> TokenLookup {
        match self.by_token.read().get(token) {
            None => TokenLookup::Unknown,
            Some(entry) if entry.expires <= Instant::now() => TokenLookup::Expired,
            Some(entry) => TokenLookup::Valid(entry.handle.clone()),
        }
    }

    /// The session of a valid token (the REST API's session ids never expire).
    pub fn get(&self, token: &str) -> Option<Arc<SessionHandle>> {
        self.by_token
            .read()
            .get(token)
            .map(|entry| entry.handle.clone())
    }

    /// Replaces `old_token` with a new session token for the same session (token renewal).
    pub fn renew(
        &self,
        old_token: &str,
        master_token: &str,
    ) -> Result<(Arc<SessionHandle>, String), RenewFailure> {
        let mut tokens = self.by_token.write();
        let handle = match tokens.get(old_token) {
            Some(entry) if entry.handle.master_token == master_token => entry.handle.clone(),
            _ => return Err(RenewFailure::NotFound),
        };
        tokens.remove(old_token);
        if handle.master_expires <= Instant::now() {
            return Err(RenewFailure::MasterExpired);
        }
        let token = random_token();
        let expires = Instant::now() + self.validity.session;
        tokens.insert(
            token.clone(),
            TokenEntry {
                handle: handle.clone(),
                expires,
            },
        );
        Ok((handle, token))
    }

    /// Ends a session: its token stops working and its engine session is released.
    pub fn remove(&self, token: &str) -> bool {
        self.by_token.write().remove(token).is_some()
    }

    pub fn count(&self) -> usize {
        self.by_token.read().len()
    }
}

/// A random token: 32 bytes of OS randomness, hex-encoded.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
