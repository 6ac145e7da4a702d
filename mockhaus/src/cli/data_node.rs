//! `mockhaus data-node`: a data node of a service-mode deployment. Logins are checked by the
//! control plane; the node serves the tenants the control plane assigns to it.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use data_node::control_plane::{ControlPlaneLink, LinkConfig};

#[derive(Debug, Args)]
pub struct DataNodeArgs {
    /// gRPC addresses of the control-plane nodes, comma-separated; any of them will do.
    #[arg(
        long,
        value_delimiter = ',',
        required = true,
        env = "MOCKHAUS_CONTROL_PLANE"
    )]
    control_plane: Vec<String>,
    /// This node's id, unique among data nodes [default: host:port].
    #[arg(long)]
    node_id: Option<String>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1", env = "MOCKHAUS_HOST")]
    host: String,
    /// Port to listen on; 0 picks a free one and prints it.
    #[arg(long, default_value_t = 8080, env = "MOCKHAUS_PORT")]
    port: u16,
    /// The URL clients use to reach this node [default: http://host:port].
    #[arg(long)]
    advertise: Option<String>,
    /// Seconds an accepted login is remembered; a revoked token or changed password takes
    /// effect on this node at most this long later.
    #[arg(long, default_value_t = 5)]
    credential_cache_secs: u64,
    /// A tracing filter [default: info, with openraft's own logs at warn].
    #[arg(long, env = "MOCKHAUS_LOG")]
    log: Option<String>,
}

pub fn run(args: DataNodeArgs) -> anyhow::Result<()> {
    super::init_logging(args.log.as_deref().unwrap_or(super::SERVICE_LOG_FILTER))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("start the runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port))
            .await
            .with_context(|| format!("listen on {}:{}", args.host, args.port))?;
        let address = listener.local_addr()?;
        let link = ControlPlaneLink::new(LinkConfig {
            control_plane: args.control_plane.clone(),
            node_id: args.node_id.unwrap_or_else(|| address.to_string()),
            advertise: args
                .advertise
                .unwrap_or_else(|| format!("http://{address}")),
            credential_cache: Duration::from_secs(args.credential_cache_secs),
        })
        .map_err(|e| anyhow::anyhow!(e))?;
        let link = Arc::new(link);
        let mut state = data_node::AppState::default();
        state.control_plane = Some(link.clone());
        serve_linked(
            listener,
            state,
            link,
            "service mode: logins are checked by the control plane",
        )
        .await
    })
}

/// Takes a lease (one heartbeat, so that assigned tenants are served from the first login),
/// keeps renewing it, and serves until Ctrl-C or SIGTERM.
pub(super) async fn serve_linked(
    listener: tokio::net::TcpListener,
    state: data_node::AppState,
    link: Arc<ControlPlaneLink>,
    mode: &str,
) -> anyhow::Result<()> {
    link.heartbeat()
        .await
        .map_err(|e| anyhow::anyhow!("register with the control plane: {e}"))?;
    let lease = tokio::spawn(link.keep_lease());
    let address = listener.local_addr()?;
    println!("Mockhaus listening on http://{address} ({mode})");
    use std::io::Write;
    std::io::stdout().flush()?;
    let served = data_node::serve(listener, Arc::new(state), super::serve::shutdown_signal()).await;
    lease.abort();
    served.context("serve")
}
