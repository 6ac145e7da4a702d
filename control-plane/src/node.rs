//! One control-plane node: its Raft instance on durable storage, its gRPC server (Raft
//! transport + the control-plane service), the leader's lease sweeper, and the operations the
//! admin API and data nodes use (propose with forwarding, linearizable reads, membership).

use crate::admin::grpc::{require_admin_token, AdminService};
use crate::admin::ops::MembershipChange;
use crate::command::{Command, Outcome};
use crate::error::ControlError;
use crate::model::EpochMillis;
use crate::network::{lazy_channel, GrpcNetwork};
use crate::service::ControlService;
use crate::state::ControlState;
use crate::store::{self, AppliedState};
use crate::types::{Node, NodeId, Raft};
use openraft::error::{CheckIsLeaderError, ClientWriteError, InitializeError, RaftError};
use openraft::{ChangeMembers, ServerState};
use proto::admin_server::AdminServer;
use proto::control_plane_client::ControlPlaneClient;
use proto::control_plane_server::ControlPlaneServer;
use proto::raft_transport_server::RaftTransportServer;
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{oneshot, RwLock};
use tokio::task::JoinHandle;
use tonic::transport::Channel;

/// Marks a proposal a follower forwarded, so that it is never forwarded twice.
pub(crate) const FORWARDED_HEADER: &str = "x-mockhaus-forwarded";

#[derive(Debug, Clone)]
pub struct NodeConfig {
    pub id: NodeId,
    /// Where the gRPC server listens; port 0 picks a free port.
    pub listen: SocketAddr,
    /// The address peers and data nodes use to reach this node (default: the bound address).
    pub advertise: Option<String>,
    pub data_dir: PathBuf,
    pub timing: RaftTiming,
    /// How long a data node's lease lasts after each heartbeat.
    pub lease_ttl: Duration,
    /// The bearer token the admin APIs (REST and the gRPC `Admin` service) require. Without
    /// one, they refuse every call.
    pub admin_token: Option<String>,
}

impl NodeConfig {
    pub fn new(id: NodeId, listen: SocketAddr, data_dir: PathBuf) -> Self {
        Self {
            id,
            listen,
            advertise: None,
            data_dir,
            timing: RaftTiming::default(),
            lease_ttl: Duration::from_secs(10),
            admin_token: None,
        }
    }
}

/// Raft's clocks. The defaults suit a LAN; tests use shorter ones.
#[derive(Debug, Clone, Copy)]
pub struct RaftTiming {
    pub heartbeat_ms: u64,
    pub election_min_ms: u64,
    pub election_max_ms: u64,
    /// Build a snapshot (and compact the log) every this many applied entries.
    pub snapshot_every: u64,
}

impl Default for RaftTiming {
    fn default() -> Self {
        Self {
            heartbeat_ms: 100,
            election_min_ms: 600,
            election_max_ms: 1_200,
            snapshot_every: 1_000,
        }
    }
}

/// A command applied through Raft: its outcome and where it sits in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    pub outcome: Outcome,
    pub index: u64,
}

/// What `ControlNode::status` reports.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ClusterStatus {
    pub node: NodeId,
    pub address: String,
    pub state: String,
    pub leader: Option<NodeId>,
    pub term: u64,
    pub last_log_index: Option<u64>,
    pub last_applied: Option<u64>,
    pub members: Vec<Member>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Member {
    pub id: NodeId,
    pub address: String,
    pub voter: bool,
}

pub(crate) struct NodeInner {
    pub(crate) id: NodeId,
    pub(crate) address: String,
    pub(crate) raft: Raft,
    pub(crate) applied: Arc<RwLock<AppliedState>>,
    pub(crate) lease_ttl: Duration,
    pub(crate) admin_token: Option<Arc<str>>,
}

/// A running control-plane node. Dropping it without `shutdown` leaves its tasks running.
pub struct ControlNode {
    inner: Arc<NodeInner>,
    stop_server: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
    sweeper: JoinHandle<()>,
    store_closed: store::ClosedSignal,
}

impl ControlNode {
    /// Opens the node's storage (restarting from it if present) and starts serving.
    pub async fn start(config: NodeConfig) -> Result<Self, ControlError> {
        let raft_config = openraft::Config {
            cluster_name: "mockhaus-control-plane".into(),
            heartbeat_interval: config.timing.heartbeat_ms,
            election_timeout_min: config.timing.election_min_ms,
            election_timeout_max: config.timing.election_max_ms,
            snapshot_policy: openraft::SnapshotPolicy::LogsSinceLast(config.timing.snapshot_every),
            max_in_snapshot_log_to_keep: 100,
            ..Default::default()
        }
        .validate()
        .map_err(|e| ControlError::BadRequest(e.to_string()))?;
        let (log_store, state_machine) = store::open(&config.data_dir)
            .await
            .map_err(|e| ControlError::Storage(e.to_string()))?;
        let applied = state_machine.applied();
        let store_closed = log_store.closed_signal();
        let raft = Raft::new(
            config.id,
            Arc::new(raft_config),
            GrpcNetwork,
            log_store,
            state_machine,
        )
        .await
        .map_err(|e| ControlError::Raft(e.to_string()))?;
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|e| {
                ControlError::BadRequest(format!("cannot listen on {}: {e}", config.listen))
            })?;
        let bound = listener
            .local_addr()
            .map_err(|e| ControlError::Storage(e.to_string()))?;
        let address = config
            .advertise
            .clone()
            .unwrap_or_else(|| bound.to_string());
        let inner = Arc::new(NodeInner {
            id: config.id,
            address,
            raft,
            applied,
            lease_ttl: config.lease_ttl,
            admin_token: config.admin_token.map(Arc::from),
        });
        let (stop_server, stopped) = oneshot::channel();
        let server = tokio::spawn(serve(inner.clone(), listener, stopped));
        let sweeper = tokio::spawn(sweep_leases(inner.clone()));
        tracing::info!(node = config.id, address = %inner.address, "control-plane node started");
        Ok(Self {
            inner,
            stop_server: Some(stop_server),
            server: Some(server),
            sweeper,
            store_closed,
        })
    }

    pub fn id(&self) -> NodeId {
        self.inner.id
    }

    /// The address peers, data nodes and the admin API's clients use for this node's gRPC.
    pub fn address(&self) -> &str {
        &self.inner.address
    }

    pub fn raft(&self) -> &Raft {
        &self.inner.raft
    }

    /// Bootstraps a new cluster with these voters (id → gRPC address). Returns false, changing
    /// nothing, when this node's cluster was already initialized (e.g. on a restart).
    pub async fn initialize(
        &self,
        members: BTreeMap<NodeId, String>,
    ) -> Result<bool, ControlError> {
        self.inner.initialize(members).await
    }

    /// Adds a voter: it first catches up as a learner, then joins the quorum. Leader only.
    pub async fn add_member(&self, id: NodeId, address: String) -> Result<(), ControlError> {
        self.inner.add_member(id, address).await
    }

    /// Removes a member from the quorum and the cluster. Leader only.
    pub async fn remove_member(&self, id: NodeId) -> Result<(), ControlError> {
        self.inner.remove_member(id).await
    }

    /// The REST admin API of this node, guarded by the configured admin token.
    pub fn admin_router(&self) -> axum::Router {
        crate::admin::router(self.inner.clone())
    }

    /// Commits a command through the leader (forwarding from a follower), waiting out an
    /// election in progress for up to `LEADER_WAIT`.
    pub async fn propose(&self, command: Command) -> Result<Committed, ControlError> {
        while_electing(|| self.inner.propose(command.clone())).await
    }

    /// Reads the state after everything committed before the call (linearizable), waiting out
    /// an election in progress for up to `LEADER_WAIT`.
    pub async fn read<T>(
        &self,
        read: impl Fn(&ControlState) -> T + Clone,
    ) -> Result<T, ControlError> {
        while_electing(|| self.inner.read(read.clone())).await
    }

    pub fn status(&self) -> ClusterStatus {
        self.inner.status()
    }

    /// Stops serving and stops Raft; the data directory keeps everything for a restart.
    pub async fn shutdown(mut self) {
        self.sweeper.abort();
        if let Some(stop) = self.stop_server.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        let _ = (&mut self.sweeper).await;
        if let Err(e) = self.inner.raft.shutdown().await {
            tracing::warn!(node = self.inner.id, "raft shutdown: {e}");
        }
        let id = self.inner.id;
        drop(self.inner);
        if !self.store_closed.wait(Duration::from_secs(10)).await {
            tracing::warn!(node = id, "the store was still open 10 s after shutdown");
        }
    }
}

fn membership_error(error: RaftError<NodeId, ClientWriteError<NodeId, Node>>) -> ControlError {
    match error {
        RaftError::APIError(ClientWriteError::ForwardToLeader(forward)) => {
            not_leader(forward.leader_id, forward.leader_node.map(|node| node.addr))
        }
        other => ControlError::Raft(other.to_string()),
    }
}

fn not_leader(leader: Option<NodeId>, address: Option<String>) -> ControlError {
    match (leader, address) {
        (Some(leader), Some(address)) => ControlError::NotLeader { leader, address },
        _ => ControlError::NoLeader,
    }
}

impl NodeInner {
    /// Bootstraps a new cluster with these voters (id → gRPC address). Returns false, changing
    /// nothing, when this node's cluster was already initialized (e.g. on a restart).
    pub(crate) async fn initialize(
        &self,
        members: BTreeMap<NodeId, String>,
    ) -> Result<bool, ControlError> {
        let nodes: BTreeMap<NodeId, Node> = members
            .into_iter()
            .map(|(id, address)| (id, Node::new(address)))
            .collect();
        match self.raft.initialize(nodes).await {
            Ok(()) => Ok(true),
            Err(RaftError::APIError(InitializeError::NotAllowed(_))) => Ok(false),
            Err(e) => Err(ControlError::Raft(e.to_string())),
        }
    }

    /// Adds a voter: it first catches up as a learner, then joins the quorum. Leader only.
    pub(crate) async fn add_member(&self, id: NodeId, address: String) -> Result<(), ControlError> {
        self.ensure_leader()?;
        let raft = &self.raft;
        raft.add_learner(id, Node::new(address), true)
            .await
            .map_err(membership_error)?;
        raft.change_membership(ChangeMembers::AddVoterIds(BTreeSet::from([id])), false)
            .await
            .map_err(membership_error)?;
        Ok(())
    }

    /// Removes a member from the quorum and the cluster. Leader only.
    pub(crate) async fn remove_member(&self, id: NodeId) -> Result<(), ControlError> {
        self.ensure_leader()?;
        let ids = BTreeSet::from([id]);
        let raft = &self.raft;
        raft.change_membership(ChangeMembers::RemoveVoters(ids.clone()), false)
            .await
            .map_err(membership_error)?;
        raft.change_membership(ChangeMembers::RemoveNodes(ids), false)
            .await
            .map_err(membership_error)?;
        Ok(())
    }

    /// Makes a membership change on the leader: locally if this node leads, else forwarded.
    pub(crate) async fn change_membership(
        &self,
        change: MembershipChange,
    ) -> Result<(), ControlError> {
        match self.change_membership_locally(change.clone()).await {
            Err(ControlError::NotLeader { address, .. }) => {
                forward_membership(&address, change).await
            }
            result => result,
        }
    }

    pub(crate) async fn change_membership_locally(
        &self,
        change: MembershipChange,
    ) -> Result<(), ControlError> {
        match change {
            MembershipChange::Add { id, address } => self.add_member(id, address).await,
            MembershipChange::Remove { id } => self.remove_member(id).await,
        }
    }

    pub(crate) async fn propose(&self, command: Command) -> Result<Committed, ControlError> {
        match self.propose_locally(command.clone()).await {
            Err(ControlError::NotLeader { address, .. }) => forward(&address, &command).await,
            result => result,
        }
    }

    pub(crate) async fn propose_locally(
        &self,
        command: Command,
    ) -> Result<Committed, ControlError> {
        match self.raft.client_write(command).await {
            Ok(response) => Ok(Committed {
                outcome: response.data,
                index: response.log_id.index,
            }),
            Err(RaftError::APIError(ClientWriteError::ForwardToLeader(forward))) => Err(
                not_leader(forward.leader_id, forward.leader_node.map(|node| node.addr)),
            ),
            Err(RaftError::Fatal(openraft::error::Fatal::Stopped)) => {
                Err(ControlError::ShuttingDown)
            }
            Err(e) => Err(ControlError::Raft(e.to_string())),
        }
    }

    pub(crate) async fn read<T>(
        &self,
        read: impl FnOnce(&ControlState) -> T,
    ) -> Result<T, ControlError> {
        match self.raft.ensure_linearizable().await {
            Ok(_) => {}
            Err(RaftError::APIError(CheckIsLeaderError::ForwardToLeader(_))) => {
                // A follower learns a position at least as new as any acknowledged write by
                // committing a barrier through the leader, then waits to apply up to it.
                let barrier = self.propose(Command::Barrier).await?;
                self.raft
                    .wait(Some(Duration::from_secs(10)))
                    .applied_index_at_least(Some(barrier.index), "read barrier")
                    .await
                    .map_err(|e| ControlError::Raft(e.to_string()))?;
            }
            Err(RaftError::APIError(CheckIsLeaderError::QuorumNotEnough(_))) => {
                return Err(ControlError::NoLeader)
            }
            Err(e) => return Err(ControlError::Raft(e.to_string())),
        }
        let applied = self.applied.read().await;
        Ok(read(&applied.state))
    }

    pub(crate) fn status(&self) -> ClusterStatus {
        let metrics = self.raft.metrics().borrow().clone();
        let membership = metrics.membership_config.membership();
        let voters: BTreeSet<NodeId> = membership.voter_ids().collect();
        let members = membership
            .nodes()
            .map(|(id, node)| Member {
                id: *id,
                address: node.addr.clone(),
                voter: voters.contains(id),
            })
            .collect();
        ClusterStatus {
            node: self.id,
            address: self.address.clone(),
            state: format!("{:?}", metrics.state),
            leader: metrics.current_leader,
            term: metrics.current_term,
            last_log_index: metrics.last_log_index,
            last_applied: metrics.last_applied.map(|log_id| log_id.index),
            members,
        }
    }

    /// Membership changes are made on the leader; elsewhere, name it.
    fn ensure_leader(&self) -> Result<(), ControlError> {
        let metrics = self.raft.metrics().borrow().clone();
        if metrics.state == ServerState::Leader {
            return Ok(());
        }
        let address = metrics.current_leader.and_then(|leader| {
            let membership = metrics.membership_config.membership();
            membership.get_node(&leader).map(|node| node.addr.clone())
        });
        Err(not_leader(metrics.current_leader, address))
    }

    fn is_leader(&self) -> bool {
        self.raft.metrics().borrow().state == ServerState::Leader
    }
}

/// How long a caller waits for a leader (an election takes about two election timeouts).
const LEADER_WAIT: Duration = Duration::from_secs(10);

/// Retries an operation while the cluster has no reachable leader, up to `LEADER_WAIT`. A
/// retried write may already have committed before its reply was lost: callers see that as a
/// refusal such as "already exists", never as a lost write.
pub(crate) async fn while_electing<T, F, Fut>(mut attempt: F) -> Result<T, ControlError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, ControlError>>,
{
    let deadline = std::time::Instant::now() + LEADER_WAIT;
    let mut pause = Duration::from_millis(25);
    loop {
        match attempt().await {
            Err(e) if e.is_transient() && std::time::Instant::now() + pause < deadline => {
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_millis(500));
            }
            result => return result,
        }
    }
}

fn leader_client(address: &str) -> Result<ControlPlaneClient<Channel>, ControlError> {
    let channel = lazy_channel(address)
        .ok_or_else(|| ControlError::Unreachable(format!("invalid leader address {address:?}")))?;
    Ok(ControlPlaneClient::new(channel))
}

/// A request marked as forwarded, so that the leader never forwards it again.
fn forwarded<T>(message: T) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    request.metadata_mut().insert(
        FORWARDED_HEADER,
        tonic::metadata::MetadataValue::from_static("1"),
    );
    request
}

fn leader_refused(status: tonic::Status) -> ControlError {
    match status.code() {
        tonic::Code::Unavailable => ControlError::Unreachable(status.message().to_owned()),
        tonic::Code::InvalidArgument => ControlError::BadRequest(status.message().to_owned()),
        _ => ControlError::Raft(status.message().to_owned()),
    }
}

/// Sends a proposal to the leader's gRPC service.
async fn forward(address: &str, command: &Command) -> Result<Committed, ControlError> {
    let command_json =
        serde_json::to_vec(command).map_err(|e| ControlError::BadRequest(e.to_string()))?;
    let reply = leader_client(address)?
        .propose(forwarded(proto::ProposeRequest { command_json }))
        .await
        .map_err(leader_refused)?
        .into_inner();
    let outcome = serde_json::from_slice(&reply.outcome_json)
        .map_err(|e| ControlError::Raft(format!("leader's reply: {e}")))?;
    Ok(Committed {
        outcome,
        index: reply.log_index,
    })
}

/// Sends a membership change to the leader's gRPC service.
async fn forward_membership(address: &str, change: MembershipChange) -> Result<(), ControlError> {
    leader_client(address)?
        .change_membership(forwarded(change.into()))
        .await
        .map_err(leader_refused)?;
    Ok(())
}

async fn serve(
    inner: Arc<NodeInner>,
    listener: tokio::net::TcpListener,
    stopped: oneshot::Receiver<()>,
) {
    let service = ControlService::new(inner.clone());
    // Raft messages are small and latency-bound: without TCP_NODELAY, Nagle and delayed ACKs
    // add ~40 ms to a round trip.
    let incoming = tonic::transport::server::TcpIncoming::from(listener).with_nodelay(Some(true));
    let result = tonic::transport::Server::builder()
        .add_service(RaftTransportServer::new(service.clone()))
        .add_service(ControlPlaneServer::new(service))
        .add_service(AdminServer::with_interceptor(
            AdminService::new(inner.clone()),
            require_admin_token(inner.clone()),
        ))
        .serve_with_incoming_shutdown(incoming, async {
            let _ = stopped.await;
        })
        .await;
    if let Err(e) = result {
        tracing::error!(node = inner.id, "gRPC server stopped: {e}");
    }
}

/// On the leader, moves the tenants of data nodes whose lease lapsed. Followers only watch.
async fn sweep_leases(inner: Arc<NodeInner>) {
    let mut ticks = tokio::time::interval(inner.lease_ttl / 4);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if !inner.is_leader() {
            continue;
        }
        let now = EpochMillis::now();
        let lapsed = inner
            .applied
            .read()
            .await
            .state
            .nodes
            .values()
            .any(|node| node.live && node.lease_expires_at < now);
        if !lapsed {
            continue;
        }
        match inner
            .propose_locally(Command::ExpireLeases { at: now })
            .await
        {
            Ok(Committed {
                outcome: Outcome::Moved { moves },
                ..
            }) => {
                for (tenant, assignment) in moves {
                    tracing::info!(%tenant, node = %assignment.node, generation = assignment.generation.0, "tenant moved");
                }
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(node = inner.id, "lease sweep: {e}"),
        }
    }
}
