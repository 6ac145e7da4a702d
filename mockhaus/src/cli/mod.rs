//! Command-line interface. Settings come from flags, then `MOCKHAUS_*` environment
//! variables, then a config file (`--config` / `MOCKHAUS_CONFIG`), then defaults;
//! the first that sets a value wins (see `config.rs`).

mod admin;
mod config;
mod control_plane;
mod data_node;
mod embedded;
mod repl;
mod serve;
mod table;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "mockhaus",
    version,
    about = "Snowflake SQL on DuckDB: a local Snowflake for tests, CI and teams"
)]
pub struct Cli {
    /// A TOML config file (keys: host, port, mode, log).
    #[arg(long, global = true, env = "MOCKHAUS_CONFIG")]
    config: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the Snowflake wire protocol and the Mockhaus REST API.
    Serve(serve::ServeArgs),
    /// Run one SQL text (statements separated by `;`) in a fresh memory instance, or on a server.
    Query {
        /// The SQL to run.
        sql: String,
        /// Run on this server (its REST API URL) instead of in memory.
        #[arg(long, env = "MOCKHAUS_SERVER")]
        server: Option<String>,
    },
    /// An interactive SQL shell, in memory or on a server.
    Repl {
        /// Connect to this server (its REST API URL) instead of running in memory.
        #[arg(long, env = "MOCKHAUS_SERVER")]
        server: Option<String>,
    },
    /// Run one control-plane node (Raft-replicated tenants, users, tokens and routing).
    ControlPlane(control_plane::ControlPlaneArgs),
    /// Run one data node of a service-mode deployment, attached to a control plane.
    DataNode(data_node::DataNodeArgs),
    /// Administer a control plane through its REST admin API.
    Admin(admin::AdminArgs),
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let file = config::FileConfig::load(cli.config.as_deref())?;
    match cli.command {
        Command::Serve(args) => serve::run(args, file),
        Command::Query { sql, server } => query(&sql, server),
        Command::Repl { server } => repl::run(server),
        Command::ControlPlane(args) => control_plane::run(args),
        Command::DataNode(args) => data_node::run(args),
        Command::Admin(args) => admin::run(args),
    }
}

fn query(sql: &str, server: Option<String>) -> anyhow::Result<()> {
    let mut conn = connect(server)?;
    for statement in engine::rewrite::split_statements(sql) {
        let rows = conn.execute(&statement)?;
        println!("{}", table::render(&rows));
    }
    Ok(())
}

/// Service-mode processes log at info; openraft narrates every election and append at info.
pub(crate) const SERVICE_LOG_FILTER: &str = "info,openraft=warn";

/// Logs to stderr with a tracing filter such as `info` or `control_plane=debug`.
pub(crate) fn init_logging(filter: &str) -> anyhow::Result<()> {
    use anyhow::Context;
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(filter).context("parse the log filter")?,
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    Ok(())
}

pub(crate) fn connect(server: Option<String>) -> mockhaus::Result<mockhaus::Connection> {
    match server {
        Some(url) => mockhaus::connect(mockhaus::Mode::Server { url, account: None }),
        None => mockhaus::connect(mockhaus::Mode::Memory),
    }
}
