//! Live sessions, found by their session token (wire protocol) or id (REST API).
//!
//! A session runs one statement at a time (its mutex); different sessions run concurrently.
//! Statements run on the blocking thread pool, never on the async runtime's workers.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use engine::{QueryResult, Session, SessionState, SfError, SfResult};
use parking_lot::{Mutex, RwLock};
use rand::RngCore;

/// How long a session token stays valid without renewal, and the master token.
pub const SESSION_VALIDITY: Duration = Duration::from_secs(3600);
pub const MASTER_VALIDITY: Duration = Duration::from_secs(4 * 3600);

pub struct SessionHandle {
    pub id: i64,
    pub account: String,
    pub master_token: String,
    session: Mutex<Session>,
    interrupt: Arc<engine::InterruptHandle>,
    pub created: Instant,
}

impl SessionHandle {
    /// Runs one statement on the blocking pool.
    pub async fn execute(self: &Arc<Self>, sql: String) -> SfResult<(QueryResult, SessionState)> {
        let handle = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut session = handle.session.lock();
            let result = session.execute(&sql)?;
            Ok((result, session.state().clone()))
        })
        .await
        .map_err(|e| SfError::internal(format!("statement task failed: {e}")))?
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
fn login_name(name: &str) -> String {
    match name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
        Some(quoted) => quoted.to_string(),
        None => name.to_uppercase(),
    }
}

#[derive(Default)]
pub struct Sessions {
    by_token: RwLock<HashMap<String, Arc<SessionHandle>>>,
    next_id: Mutex<i64>,
}

impl Sessions {
    /// Registers a session; returns its handle and its session token.
    pub fn register(&self, account: &str, session: Session) -> (Arc<SessionHandle>, String) {
        let id = {
            let mut next = self.next_id.lock();
            *next += 1;
            1_000_000 + *next
        };
        let interrupt = session.interrupt_handle();
        let handle = Arc::new(SessionHandle {
            id,
            account: account.to_string(),
            master_token: random_token(),
            session: Mutex::new(session),
            interrupt,
            created: Instant::now(),
        });
        let token = random_token();
        self.by_token.write().insert(token.clone(), handle.clone());
        (handle, token)
    }

    pub fn get(&self, token: &str) -> Option<Arc<SessionHandle>> {
        self.by_token.read().get(token).cloned()
    }

    /// Replaces `old_token` with a new session token for the same session (token renewal).
    pub fn renew(
        &self,
        old_token: &str,
        master_token: &str,
    ) -> Option<(Arc<SessionHandle>, String)> {
        let mut tokens = self.by_token.write();
        let handle = tokens.get(old_token)?.clone();
        if handle.master_token != master_token {
            return None;
        }
        tokens.remove(old_token);
        let token = random_token();
        tokens.insert(token.clone(), handle.clone());
        Some((handle, token))
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
