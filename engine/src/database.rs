//! Opening an account's DuckDB database through DuckDB's C API. The duckdb crate opens a
//! database and hands out connections, but keeps the raw handles to itself; the text casts
//! (`text_casts.rs`) must be registered on a raw connection, so the database is opened here and
//! the crate's `Connection` is made from it.

use std::ffi::{CStr, CString};
use std::ptr;

use duckdb::{ffi, Connection};

/// An open DuckDB database, closed on drop. Connections made from it keep the database
/// itself alive (DuckDB counts them), so it may be dropped before they are.
pub(crate) struct RawDatabase {
    handle: ffi::duckdb_database,
}

// SAFETY: a duckdb_database is a handle to a thread-safe DuckDB instance; it is only used to
// open connections and to be closed.
unsafe impl Send for RawDatabase {}
unsafe impl Sync for RawDatabase {}

impl RawDatabase {
    /// A new in-memory database with these configuration settings (name, value).
    pub(crate) fn open_memory(settings: &[(&str, &str)]) -> Result<RawDatabase, String> {
        let config = RawConfig::new(settings)?;
        let path = CString::new(":memory:").expect("no NUL");
        let mut handle: ffi::duckdb_database = ptr::null_mut();
        let mut error: *mut std::os::raw::c_char = ptr::null_mut();
        // SAFETY: every pointer is valid for the call; DuckDB copies the config.
        let state =
            unsafe { ffi::duckdb_open_ext(path.as_ptr(), &mut handle, config.handle, &mut error) };
        if state != ffi::DuckDBSuccess {
            return Err(take_error(error));
        }
        Ok(RawDatabase { handle })
    }

    /// Runs `f` on a short-lived raw connection (for registrations that apply to the whole
    /// database).
    pub(crate) fn with_raw_connection<T>(
        &self,
        f: impl FnOnce(ffi::duckdb_connection) -> Result<T, String>,
    ) -> Result<T, String> {
        let mut conn: ffi::duckdb_connection = ptr::null_mut();
        // SAFETY: the database is open while `self` lives.
        if unsafe { ffi::duckdb_connect(self.handle, &mut conn) } != ffi::DuckDBSuccess {
            return Err("could not connect to the account's database".to_string());
        }
        let result = f(conn);
        // SAFETY: `conn` was opened above and is not used after this.
        unsafe { ffi::duckdb_disconnect(&mut conn) };
        result
    }

    /// A duckdb-crate connection to this database.
    pub(crate) fn connect(&self) -> duckdb::Result<Connection> {
        // SAFETY: the handle is an open database; the connection does not close it.
        unsafe { Connection::open_from_raw(self.handle) }
    }
}

impl Drop for RawDatabase {
    fn drop(&mut self) {
        // SAFETY: opened in `open_memory`, closed once.
        unsafe { ffi::duckdb_close(&mut self.handle) };
    }
}

struct RawConfig {
    handle: ffi::duckdb_config,
}

impl RawConfig {
    fn new(settings: &[(&str, &str)]) -> Result<RawConfig, String> {
        let mut config = RawConfig {
            handle: ptr::null_mut(),
        };
        // SAFETY: DuckDB writes a new config handle, freed in `drop`.
        if unsafe { ffi::duckdb_create_config(&mut config.handle) } != ffi::DuckDBSuccess {
            return Err("could not create a DuckDB configuration".to_string());
        }
        for (name, value) in settings {
            let c_name = CString::new(*name).map_err(|e| e.to_string())?;
            let c_value = CString::new(*value).map_err(|e| e.to_string())?;
            // SAFETY: the strings outlive the call; DuckDB copies them.
            let state =
                unsafe { ffi::duckdb_set_config(config.handle, c_name.as_ptr(), c_value.as_ptr()) };
            if state != ffi::DuckDBSuccess {
                return Err(format!("DuckDB rejected the setting {name} = {value}"));
            }
        }
        Ok(config)
    }
}

impl Drop for RawConfig {
    fn drop(&mut self) {
        // SAFETY: created in `new`, destroyed once.
        unsafe { ffi::duckdb_destroy_config(&mut self.handle) };
    }
}

/// DuckDB's open error, freed after it is copied.
fn take_error(error: *mut std::os::raw::c_char) -> String {
    if error.is_null() {
        return "could not open the account's database".to_string();
    }
    // SAFETY: DuckDB returned a NUL-terminated string it allocated with malloc.
    let message = unsafe { CStr::from_ptr(error) }
        .to_string_lossy()
        .into_owned();
    unsafe { ffi::duckdb_free(error.cast()) };
    message
}
