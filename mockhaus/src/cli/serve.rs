//! `mockhaus serve`: both APIs on one port, until Ctrl-C or SIGTERM.

use std::sync::Arc;

use anyhow::{bail, Context};
use clap::Args;

use super::config::FileConfig;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1].
    #[arg(long, env = "MOCKHAUS_HOST")]
    host: Option<String>,
    /// Port to listen on; 0 picks a free one and prints it [default: 8080].
    #[arg(long, env = "MOCKHAUS_PORT")]
    port: Option<u16>,
    /// Keep all data in memory and accept any credentials (the default).
    #[arg(long)]
    memory: bool,
    /// `memory`, or `service`: an embedded single-node control plane checks logins [default: memory].
    #[arg(long, env = "MOCKHAUS_MODE")]
    mode: Option<String>,
    /// Service mode: where the control plane keeps its state.
    #[arg(long, env = "MOCKHAUS_DATA_DIR", default_value = "mockhaus-data")]
    data_dir: std::path::PathBuf,
    /// Service mode: the port of the control plane's REST admin API.
    #[arg(long, default_value_t = 7100)]
    admin_port: u16,
    /// Service mode: the admin API's bearer token [default: read from, or generated into,
    /// DATA_DIR/admin-token].
    #[arg(long, env = "MOCKHAUS_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,
    /// A tracing filter [default: info].
    #[arg(long, env = "MOCKHAUS_LOG")]
    log: Option<String>,
    /// Seconds a session token lives before the client must renew it (390112).
    #[arg(long, env = "MOCKHAUS_SESSION_VALIDITY_SECS", default_value_t = 3600)]
    session_validity_secs: u64,
    /// Seconds a master token lives; after it the client must log in again (390114).
    #[arg(long, env = "MOCKHAUS_MASTER_VALIDITY_SECS", default_value_t = 4 * 3600)]
    master_validity_secs: u64,
    /// Rows per result chunk: a query's first this-many rows go inline in the response, the
    /// rest in chunks the client downloads.
    #[arg(long, env = "MOCKHAUS_RESULT_CHUNK_ROWS", default_value_t = data_node::DEFAULT_CHUNK_ROWS)]
    result_chunk_rows: usize,
}

pub fn run(args: ServeArgs, file: FileConfig) -> anyhow::Result<()> {
    let host = args
        .host
        .or(file.host)
        .unwrap_or_else(|| "127.0.0.1".into());
    let port = args.port.or(file.port).unwrap_or(8080);
    let mode = if args.memory {
        "memory".to_string()
    } else {
        args.mode.or(file.mode).unwrap_or_else(|| "memory".into())
    };
    let service = match mode.to_ascii_lowercase().as_str() {
        "memory" => false,
        "service" => true,
        other => bail!("unknown mode '{other}': use memory or service"),
    };
    let log = args
        .log
        .or(file.log)
        .unwrap_or_else(|| super::SERVICE_LOG_FILTER.into());
    super::init_logging(&log)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("start the runtime")?;
    let validity = data_node::sessions::TokenValidity {
        session: std::time::Duration::from_secs(args.session_validity_secs),
        master: std::time::Duration::from_secs(args.master_validity_secs),
    };
    let mut state = data_node::AppState::with_token_validity(validity);
    state.chunk_rows = args.result_chunk_rows.max(1);
    if service {
        let embedded = super::embedded::Embedded {
            data_dir: args.data_dir,
            admin_port: args.admin_port,
            admin_token: args.admin_token,
        };
        return runtime.block_on(embedded.serve(&host, port, state));
    }
    runtime.block_on(serve(&host, port, state))
}

async fn serve(host: &str, port: u16, state: data_node::AppState) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind((host, port))
        .await
        .with_context(|| format!("listen on {host}:{port}"))?;
    let address = listener.local_addr()?;
    println!(
        "Mockhaus listening on http://{address} (memory mode: any user and password are accepted)"
    );
    use std::io::Write;
    std::io::stdout().flush()?;
    let state = Arc::new(state);
    data_node::serve(listener, state, shutdown_signal())
        .await
        .context("serve")?;
    Ok(())
}

pub(super) async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
