//! A Snowflake session: its own DuckDB connection to the account's instance, its current
//! database/schema/warehouse/role, and the dispatch of each statement to its handler.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use duckdb::Connection;

use crate::binds::BindRow;
use crate::duckdb_errors;
use crate::error::{SfError, SfResult};
use crate::instance::InstanceShared;
use crate::query_history::SharedQueryHistory;
use crate::recent_results::{Kept, KeptRows, RecentResults};
use crate::request::{self, Parsed};
use crate::result::QueryResult;
use crate::rewrite::{self, FunctionContext};
use crate::statements;
use crate::statements::describe::{self, Description};
use crate::statements::prepared::{CacheKey, Prepared, StatementCache};
use crate::stream::{Execution, RowsWent, Streaming};

/// Whether a statement text holds `name` in any letter case (checked on every run: no
/// allocation).
pub(crate) fn mentions(sql: &str, name: &[u8]) -> bool {
    sql.as_bytes()
        .windows(name.len())
        .any(|window| window.eq_ignore_ascii_case(name))
}

/// The text with its `IDENTIFIER('name')` calls written as names (`identifier_binds`), for
/// the paths that take no bind values.
fn with_names(sql: &str) -> SfResult<std::borrow::Cow<'_, str>> {
    Ok(match crate::identifier_binds::substitute(sql, &[])? {
        Some((named, _)) => std::borrow::Cow::Owned(named),
        None => std::borrow::Cow::Borrowed(sql),
    })
}

/// Whether a statement text may call LAST_QUERY_ID.
fn mentions_last_query_id(sql: &str) -> bool {
    mentions(sql, b"last_query_id")
}

/// Puts the line and position of the offending identifier into a 000904 message.
fn locate(err: SfError, sql: &str) -> SfError {
    if err.code != "000904" {
        return err;
    }
    let Some(name) = err
        .message
        .rsplit_once("invalid identifier '")
        .map(|(_, n)| n.trim_end_matches('\''))
    else {
        return err;
    };
    match rewrite::locate_identifier(sql, name) {
        Some((line, position)) => SfError::invalid_identifier_at(name, line, position),
        None => err,
    }
}

/// The one statement of a request; none or several are Snowflake's errors.
fn only_statement(sql: &str) -> SfResult<Parsed> {
    let mut statements = statements_counted(sql, 1)?;
    Ok(statements.remove(0))
}

/// The statements of a request whose client expects `expected` of them (0: any number).
fn statements_counted(sql: &str, expected: usize) -> SfResult<Vec<Parsed>> {
    let statements = request::parse(sql)?;
    match statements.len() {
        0 => Err(SfError::new(
            "000900",
            "42000",
            "SQL compilation error:\nEmpty SQL statement.",
        )),
        n if expected != 0 && n != expected => Err(SfError::new(
            "000008",
            "0A000",
            format!(
                "Actual statement count {n} did not match the desired statement count {expected}."
            ),
        )),
        _ => Ok(statements),
    }
}

/// What a session has selected, as Snowflake reports it in `sessionInfo` / `final*Name`.
#[derive(Debug, Clone, Default)]
pub struct SessionState {
    pub database: Option<String>,
    pub schema: Option<String>,
    pub warehouse: Option<String>,
    pub role: String,
    pub user: String,
    pub in_transaction: bool,
    /// Session parameters set with ALTER SESSION (upper-case names); the server reports them
    /// to clients, which apply the display ones (TIMEZONE, output formats) themselves.
    pub parameters: std::collections::BTreeMap<String, serde_json::Value>,
    /// Session variables (`SET x = ...`, read as `$x`), visible to every statement of the session.
    pub variables: rewrite::variables::Variables,
}

impl SessionState {
    /// The TIMEZONE set with ALTER SESSION (None: not set; Mockhaus' default is UTC).
    pub fn time_zone(&self) -> Option<&str> {
        self.parameters.get("TIMEZONE")?.as_str()
    }
}

/// One session. Not `Sync`: a server wraps it in a mutex, one statement at a time.
pub struct Session {
    pub(crate) conn: Connection,
    pub(crate) shared: Arc<InstanceShared>,
    pub(crate) state: SessionState,
    /// Statements this session already checked and rewrote.
    cache: StatementCache,
    /// CURRENT_SESSION(): numbered here, renumbered by a server that has ids of its own.
    session_id: i64,
    /// The ids of the session's queries (LAST_QUERY_ID), recorded by the server.
    query_history: Arc<SharedQueryHistory>,
    /// Whether each statement's result is copied for RESULT_SCAN (see `recent_results`):
    /// only a server that gives statements query ids asks for it.
    keeps_results: bool,
    /// The copy of the last statement's result, until the server names it.
    unnamed_result: Option<Kept>,
}

impl Drop for Session {
    /// The session's temporary stages (with their files) and file formats go with it.
    fn drop(&mut self) {
        self.shared.stages.end_session(self.session_id);
    }
}

/// Session numbers for sessions no server numbered.
static NEXT_SESSION_ID: AtomicI64 = AtomicI64::new(1);

impl Session {
    pub(crate) fn new(conn: Connection, shared: Arc<InstanceShared>, user: &str) -> Self {
        let state = SessionState {
            role: "ACCOUNTADMIN".into(),
            user: user.to_uppercase(),
            ..Default::default()
        };
        Self {
            conn,
            shared,
            state,
            cache: StatementCache::default(),
            session_id: NEXT_SESSION_ID.fetch_add(1, Ordering::Relaxed),
            query_history: Arc::default(),
            keeps_results: false,
            unnamed_result: None,
        }
    }

    /// Gives the session the id its server knows it by (CURRENT_SESSION()).
    /// CURRENT_SESSION(): the session's number.
    pub(crate) fn id(&self) -> i64 {
        self.session_id
    }

    pub fn set_session_id(&mut self, id: i64) {
        self.session_id = id;
    }

    /// The session's query ids: the server records each query's id here after it runs.
    pub fn query_history(&self) -> Arc<SharedQueryHistory> {
        self.query_history.clone()
    }

    /// Makes the session copy each statement's result (when small enough) for a later
    /// RESULT_SCAN inside a larger query; the server then names each copy with
    /// [`Session::keep_result_as`].
    pub fn set_keeps_results(&mut self, keeps: bool) {
        self.keeps_results = keeps;
    }

    /// Files the copy of the last statement's result under its query id (nothing if the
    /// statement failed or the session does not keep results).
    pub fn keep_result_as(&mut self, query_id: &str) {
        if let Some(kept) = self.unnamed_result.take() {
            self.shared.recent_results.keep(query_id, kept);
        }
    }

    /// The account's kept results, shared by all its sessions.
    pub fn recent_results(&self) -> Arc<RecentResults> {
        self.shared.recent_results.clone()
    }

    /// The cache key of `sql` now. A text that may call LAST_QUERY_ID also depends on how many
    /// queries the session has run.
    fn cache_key(&self, sql: &str) -> CacheKey {
        let queries_run = mentions_last_query_id(sql).then(|| {
            crate::query_history::read_history(&self.query_history, |history| history.count())
        });
        CacheKey::new(
            sql,
            &self.state,
            self.shared.declared.generation(),
            queries_run,
        )
    }

    /// Notes that `table`'s rows changed now (INFORMATION_SCHEMA.TABLES' LAST_ALTERED).
    pub(crate) fn record_change(&self, table: Option<&statements::QualifiedName>) {
        if let Some(table) = table {
            self.shared.last_altered.record(table);
        }
    }

    pub fn state(&self) -> &SessionState {
        &self.state
    }

    pub fn account(&self) -> &str {
        &self.shared.account
    }

    /// A handle that cancels the statement this session is running (from another thread).
    pub fn interrupt_handle(&self) -> Arc<duckdb::InterruptHandle> {
        self.conn.interrupt_handle()
    }

    /// Runs exactly one statement, as a Snowflake query request does by default.
    pub fn execute(&mut self, sql: &str) -> SfResult<QueryResult> {
        self.execute_bound(sql, &[])
    }

    /// Runs exactly one statement with values for its bind variables: one row of values, or
    /// several (array binding) to run a DML statement once per row, all or nothing, with the
    /// counts added up.
    pub fn execute_bound(&mut self, sql: &str, binds: &[BindRow]) -> SfResult<QueryResult> {
        self.run(sql, Execution::bound(binds))
    }

    /// Like [`Session::execute_bound`], but a query's rows past the first `streaming.batch_rows`
    /// go to `streaming.sink` batch by batch as they are read, rather than into the result.
    pub fn execute_streaming<'a>(
        &mut self,
        sql: &str,
        binds: &'a [BindRow],
        streaming: Streaming<'a>,
    ) -> SfResult<QueryResult> {
        self.run(
            sql,
            Execution {
                streaming: Some(streaming),
                ..Execution::bound(binds)
            },
        )
    }

    fn run(&mut self, sql: &str, mut exec: Execution<'_>) -> SfResult<QueryResult> {
        if let Some((named, binds)) = crate::identifier_binds::substitute(sql, exec.binds)? {
            return self.run(
                &named,
                Execution {
                    binds: &binds,
                    ..exec
                },
            );
        }
        self.unnamed_result = None;
        exec.copy_rows = self.keeps_results;
        let outcome = self.run_uncopied(sql, &mut exec);
        if let (Ok(result), true) = (&outcome, self.keeps_results) {
            self.unnamed_result = Some(copy_of(result, std::mem::take(&mut exec.rows_went)));
        }
        outcome
    }

    fn run_uncopied(&mut self, sql: &str, exec: &mut Execution<'_>) -> SfResult<QueryResult> {
        let key = self.cache_key(sql);
        if let Some(prepared) = self.cache.get(&key) {
            if matches!(prepared, statements::prepared::Prepared::Dml { .. }) {
                statements::transactions::implicit_begin(self)?;
            }
            let outcome = self.with_statement_timeout(
                |session| statements::run_prepared(session, &prepared, exec),
                sql,
            );
            return outcome.map_err(|err| self.after_failure(err));
        }
        let statement = only_statement(sql)?;
        self.execute_statement(statement, sql, exec)
    }

    /// Describes one statement without running it: its result columns and bind count.
    pub fn describe(&mut self, sql: &str) -> SfResult<Description> {
        let sql = &*with_names(sql)?;
        match only_statement(sql)? {
            Parsed::Sql(mut statement) => {
                rewrite::resolve_names(&mut statement, &self.state.variables)?;
                if statements::result_scan::may_mention(sql) {
                    statements::result_scan::substitute(self, &mut statement)?;
                }
                describe::describe(self, *statement, sql).map_err(|err| locate(err, sql))
            }
            Parsed::Command(crate::commands::Command::Stage(_)) => Err(SfError::unsupported(
                "describing a file command without running it",
            )),
            // Commands only read the catalog: their columns come from running them.
            Parsed::Command(command) => Ok(Description {
                kind: crate::result::StatementKind::Show,
                columns: crate::metadata::run(self, &command)?.columns,
                bind_count: 0,
            }),
        }
    }

    /// Runs every statement of a script in order and returns each result; stops at the first error.
    pub fn execute_script(&mut self, sql: &str) -> SfResult<Vec<QueryResult>> {
        let sql = &*with_names(sql)?;
        request::parse(sql)?
            .into_iter()
            .map(|stmt| self.execute_statement(stmt, sql, &mut Execution::bound(&[])))
            .collect()
    }

    /// Runs a multi-statement request: `expected` is the client's MULTI_STATEMENT_COUNT (0 for
    /// any number), and a different count fails before anything runs (000008). Statements run
    /// in order, each result paired with the session's state after it; the first error stops
    /// the rest, and what ran before it stays done, as in Snowflake.
    pub fn execute_multi(
        &mut self,
        sql: &str,
        expected: usize,
    ) -> SfResult<Vec<(QueryResult, SessionState)>> {
        let sql = &*with_names(sql)?;
        statements_counted(sql, expected)?
            .into_iter()
            .map(|stmt| {
                let result = self.execute_statement(stmt, sql, &mut Execution::bound(&[]))?;
                Ok((result, self.state.clone()))
            })
            .collect()
    }

    fn execute_statement(
        &mut self,
        statement: Parsed,
        sql: &str,
        exec: &mut Execution<'_>,
    ) -> SfResult<QueryResult> {
        let outcome = self.execute_parsed(statement, sql, exec);
        outcome.map_err(|err| self.after_failure(err))
    }

    /// DuckDB aborts a whole transaction when a statement in it fails, where Snowflake undoes
    /// only that statement and keeps the transaction open. Mockhaus cannot keep the earlier
    /// changes, so rather than let a later COMMIT silently commit nothing, it rolls the
    /// transaction back at once and says so in the failing statement's error.
    fn after_failure(&mut self, err: SfError) -> SfError {
        if !self.state.in_transaction || self.conn.execute_batch("SELECT 1").is_ok() {
            return err;
        }
        let _ = self.conn.execute_batch("ROLLBACK");
        self.state.in_transaction = false;
        SfError {
            message: format!(
                "{}\nThe open transaction was rolled back: Mockhaus cannot keep a transaction's \
                 earlier changes once a statement in it fails.",
                err.message
            ),
            ..err
        }
    }

    fn execute_parsed(
        &mut self,
        statement: Parsed,
        sql: &str,
        exec: &mut Execution<'_>,
    ) -> SfResult<QueryResult> {
        match statement {
            Parsed::Sql(mut statement) => {
                rewrite::resolve_names(&mut statement, &self.state.variables)?;
                if statements::result_scan::may_mention(sql) {
                    statements::result_scan::substitute(self, &mut statement)?;
                }
                if crate::stages::infer_schema::may_mention(sql) {
                    crate::stages::infer_schema::substitute(self, &mut statement, exec.binds)?;
                }
                self.with_statement_timeout(
                    |session| statements::dispatch(session, *statement, sql, exec),
                    sql,
                )
            }
            Parsed::Command(crate::commands::Command::Stage(text)) => {
                crate::stages::run(self, &text, exec.binds)
            }
            Parsed::Command(command) => {
                if !exec.binds.is_empty() {
                    return Err(SfError::unsupported("bind variables in SHOW or DESCRIBE"));
                }
                match command {
                    crate::commands::Command::Unset(names) => {
                        statements::variables::unset(self, &names)
                    }
                    crate::commands::Command::CreateSequence(create) => {
                        let result = statements::sequences::create(self, &create);
                        self.shared.declared.invalidate();
                        result
                    }
                    crate::commands::Command::CreateFunction(create) => {
                        let result = statements::user_functions::create(self, &create);
                        self.shared.declared.invalidate();
                        result
                    }
                    crate::commands::Command::AlterTable(alter) => {
                        let result = statements::alter_columns::alter_table(self, &alter);
                        self.shared.declared.invalidate();
                        result
                    }
                    command => crate::metadata::run(self, &command),
                }
            }
        }
    }

    /// Runs `run` under the session's STATEMENT_TIMEOUT_IN_SECONDS and locates 000904 errors.
    fn with_statement_timeout(
        &mut self,
        run: impl FnOnce(&mut Session) -> SfResult<QueryResult>,
        sql: &str,
    ) -> SfResult<QueryResult> {
        let _span = tracing::debug_span!("statement", account = %self.shared.account).entered();
        let watchdog = self
            .statement_timeout()
            .map(|limit| Watchdog::start(self.interrupt_handle(), limit));
        let outcome = run(self).map_err(|err| locate(err, sql));
        match watchdog.map(Watchdog::stop) {
            Some((true, limit)) => outcome.map_err(|err| match err.code.as_ref() {
                "000604" => SfError::statement_timeout(limit.as_secs()),
                _ => err,
            }),
            _ => outcome,
        }
    }

    /// STATEMENT_TIMEOUT_IN_SECONDS, when the session set one (0 means none, as in Snowflake).
    fn statement_timeout(&self) -> Option<Duration> {
        let seconds = self.state.parameters.get("STATEMENT_TIMEOUT_IN_SECONDS")?;
        let seconds = seconds
            .as_u64()
            .or_else(|| seconds.as_str()?.parse().ok())?;
        (seconds > 0).then(|| Duration::from_secs(seconds))
    }

    /// The names the rewriter substitutes for context functions.
    pub(crate) fn function_context(&self) -> FunctionContext<'_> {
        FunctionContext {
            current_database: self.state.database.as_deref(),
            current_schema: self.state.schema.as_deref(),
            current_warehouse: self.state.warehouse.as_deref(),
            current_role: &self.state.role,
            current_user: &self.state.user,
            account: &self.shared.account,
            variables: &self.state.variables,
            column_types: &crate::rewrite::NO_COLUMNS,
            session_id: self.session_id,
            query_history: &self.query_history,
            time_zone: self.state.time_zone(),
            user_functions: self,
        }
    }

    /// Keeps a checked and rewritten statement for the next time this text runs here.
    pub(crate) fn remember(&mut self, sql: &str, prepared: Prepared) {
        // The same text may scan another query's result (or other staged files) next time.
        if statements::result_scan::may_mention(sql)
            || crate::stages::infer_schema::may_mention(sql)
        {
            return;
        }
        let key = self.cache_key(sql);
        self.cache.insert(key, prepared);
    }

    /// Rewrites a statement for DuckDB and returns the SQL text DuckDB runs.
    pub(crate) fn to_duckdb_sql(
        &self,
        statement: sqlparser::ast::Statement,
        sql: &str,
    ) -> SfResult<String> {
        self.to_duckdb_sql_typed(statement, sql, &rewrite::NO_COLUMNS)
    }

    /// As `to_duckdb_sql`, knowing the column types of the statement's tables.
    pub(crate) fn to_duckdb_sql_typed(
        &self,
        mut statement: sqlparser::ast::Statement,
        sql: &str,
        column_types: &rewrite::ColumnTypes,
    ) -> SfResult<String> {
        let ctx = FunctionContext {
            column_types,
            ..self.function_context()
        };
        rewrite::rewrite(&mut statement, sql, &ctx)?;
        Ok(statement.to_string())
    }

    /// Runs SQL Mockhaus generated itself (never tenant text).
    pub(crate) fn run_internal(&self, sql: &str) -> SfResult<()> {
        self.conn
            .execute_batch(sql)
            .map_err(|e| duckdb_errors::translate(&e))
    }

    /// Binds SQL Mockhaus generated itself without running it, so binder errors surface.
    pub(crate) fn bind_only(&self, sql: &str) -> SfResult<()> {
        self.conn
            .prepare(sql)
            .map(|_| ())
            .map_err(|e| duckdb_errors::translate(&e))
    }

    /// Runs a catalog query Mockhaus wrote (never tenant text) with text parameters and
    /// returns each row's first `width` columns as text (NULL as empty).
    pub(crate) fn catalog_rows(
        &self,
        sql: &str,
        params: &[&str],
        width: usize,
    ) -> SfResult<Vec<Vec<String>>> {
        let translate = |e: duckdb::Error| duckdb_errors::translate(&e);
        let mut stmt = self.conn.prepare(sql).map_err(translate)?;
        let mut rows = stmt
            .query(duckdb::params_from_iter(params.iter()))
            .map_err(translate)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(translate)? {
            let cells = (0..width)
                .map(|i| {
                    row.get::<_, Option<String>>(i)
                        .map(Option::unwrap_or_default)
                        .map_err(translate)
                })
                .collect::<SfResult<Vec<String>>>()?;
            out.push(cells);
        }
        Ok(out)
    }

    /// Points DuckDB's default catalog and schema at the session's current ones, so that
    /// unqualified names resolve the way Snowflake resolves them.
    pub(crate) fn sync_search_path(&self) -> SfResult<()> {
        use crate::rewrite::idents::quote;
        let target = match (&self.state.database, &self.state.schema) {
            (Some(db), Some(schema)) => format!("{}.{}", quote(db), quote(schema)),
            (Some(db), None) => format!("{}.main", quote(db)),
            _ => crate::instance::DEFAULT_CATALOG.to_string(),
        };
        self.run_internal(&format!("USE {target}"))
    }
}

/// Interrupts the statement when its time limit passes; stopped when the statement ends.
struct Watchdog {
    done: mpsc::Sender<()>,
    fired: Arc<AtomicBool>,
    limit: Duration,
    thread: std::thread::JoinHandle<()>,
}

impl Watchdog {
    fn start(interrupt: Arc<duckdb::InterruptHandle>, limit: Duration) -> Self {
        let (done, finished) = mpsc::channel::<()>();
        let fired = Arc::new(AtomicBool::new(false));
        let flag = fired.clone();
        let thread = std::thread::spawn(move || {
            if finished.recv_timeout(limit) == Err(mpsc::RecvTimeoutError::Timeout) {
                flag.store(true, Ordering::SeqCst);
                interrupt.interrupt();
            }
        });
        Self {
            done,
            fired,
            limit,
            thread,
        }
    }

    /// Whether the limit was reached, and the limit.
    fn stop(self) -> (bool, Duration) {
        let _ = self.done.send(());
        let _ = self.thread.join();
        (self.fired.load(Ordering::SeqCst), self.limit)
    }
}

/// The copy of a statement's result RESULT_SCAN may read later, or the marker saying it
/// was too large to keep.
fn copy_of(result: &QueryResult, rows_went: RowsWent) -> Kept {
    let columns = result.columns.clone();
    match rows_went {
        RowsWent::InResult if result.rows.len() <= crate::recent_results::MAX_ROWS => {
            Kept::of(columns, KeptRows::Cells(result.rows.clone()))
        }
        RowsWent::InResult | RowsWent::Streamed => Kept::TooLarge,
        RowsWent::Columnar(batches) => Kept::of(columns, KeptRows::Arrow(batches)),
    }
}
