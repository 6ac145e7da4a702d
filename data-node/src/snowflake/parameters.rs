//! The session parameters sent at login and with every query result: the engine's defaults
//! (`engine::session_parameters`), with the session's ALTER SESSION values.

pub use engine::session_parameters::{session_defaults as session_parameters, with_overrides};
