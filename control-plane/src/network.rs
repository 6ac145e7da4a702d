//! Raft between control-plane nodes over gRPC (`proto`'s `RaftTransport`): openraft's messages
//! travel as JSON inside a protobuf envelope, so the wire format follows openraft's own types.

use crate::types::{Node, NodeId, TypeConfig};
use openraft::error::{
    InstallSnapshotError, NetworkError, RPCError, RaftError, RemoteError, Unreachable,
};
use openraft::network::{RPCOption, RaftNetwork, RaftNetworkFactory};
use openraft::raft::{
    AppendEntriesRequest, AppendEntriesResponse, InstallSnapshotRequest, InstallSnapshotResponse,
    VoteRequest, VoteResponse,
};
use proto::raft_transport_client::RaftTransportClient;
use proto::RaftMessage;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::time::Duration;
use tonic::transport::{Channel, Endpoint};

/// How long to wait for a peer's TCP connection before calling it unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_millis(500);

#[derive(Clone, Default)]
pub struct GrpcNetwork;

impl RaftNetworkFactory<TypeConfig> for GrpcNetwork {
    type Network = PeerClient;

    async fn new_client(&mut self, target: NodeId, node: &Node) -> PeerClient {
        PeerClient {
            target,
            node: node.clone(),
            channel: lazy_channel(&node.addr),
        }
    }
}

/// A channel that connects on first use and reconnects after failures.
pub fn lazy_channel(address: &str) -> Option<Channel> {
    let url = if address.contains("://") {
        address.to_owned()
    } else {
        format!("http://{address}")
    };
    Endpoint::from_shared(url)
        .ok()
        .map(|endpoint| endpoint.connect_timeout(CONNECT_TIMEOUT).connect_lazy())
}

pub struct PeerClient {
    target: NodeId,
    node: Node,
    /// `None` when the peer's address is not a valid URL: every call is then unreachable.
    channel: Option<Channel>,
}

type RpcResult<T, E = openraft::error::Infallible> =
    Result<T, RPCError<NodeId, Node, RaftError<NodeId, E>>>;

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct TransportError(String);

impl PeerClient {
    async fn call<Req, Resp, E>(
        &mut self,
        method: Method,
        request: &Req,
        option: &RPCOption,
    ) -> RpcResult<Resp, E>
    where
        Req: Serialize,
        Resp: DeserializeOwned,
        E: std::error::Error + DeserializeOwned,
    {
        let channel = self.channel.clone().ok_or_else(|| {
            RPCError::Unreachable(Unreachable::new(&TransportError(format!(
                "invalid peer address {:?}",
                self.node.addr
            ))))
        })?;
        let json =
            serde_json::to_vec(request).map_err(|e| RPCError::Network(NetworkError::new(&e)))?;
        let mut message = tonic::Request::new(RaftMessage { json });
        message.set_timeout(option.hard_ttl());
        let mut client = RaftTransportClient::new(channel);
        let reply = match method {
            Method::AppendEntries => client.append_entries(message).await,
            Method::Vote => client.vote(message).await,
            Method::InstallSnapshot => client.install_snapshot(message).await,
        }
        .map_err(|status| match status.code() {
            tonic::Code::Unavailable => RPCError::Unreachable(Unreachable::new(&status)),
            _ => RPCError::Network(NetworkError::new(&status)),
        })?;
        let result: Result<Resp, RaftError<NodeId, E>> =
            serde_json::from_slice(&reply.into_inner().json)
                .map_err(|e| RPCError::Network(NetworkError::new(&e)))?;
        result.map_err(|e| {
            RPCError::RemoteError(RemoteError::new_with_node(
                self.target,
                self.node.clone(),
                e,
            ))
        })
    }
}

#[derive(Clone, Copy)]
enum Method {
    AppendEntries,
    Vote,
    InstallSnapshot,
}

impl RaftNetwork<TypeConfig> for PeerClient {
    async fn append_entries(
        &mut self,
        rpc: AppendEntriesRequest<TypeConfig>,
        option: RPCOption,
    ) -> RpcResult<AppendEntriesResponse<NodeId>> {
        self.call(Method::AppendEntries, &rpc, &option).await
    }

    async fn install_snapshot(
        &mut self,
        rpc: InstallSnapshotRequest<TypeConfig>,
        option: RPCOption,
    ) -> RpcResult<InstallSnapshotResponse<NodeId>, InstallSnapshotError> {
        self.call(Method::InstallSnapshot, &rpc, &option).await
    }

    async fn vote(
        &mut self,
        rpc: VoteRequest<NodeId>,
        option: RPCOption,
    ) -> RpcResult<VoteResponse<NodeId>> {
        self.call(Method::Vote, &rpc, &option).await
    }
}
