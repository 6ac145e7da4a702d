//! A real three-node control plane in one process: elections, forwarding, failover, restart,
//! snapshots, leases and logins, over real gRPC on loopback.

mod common;

use common::{wait_until, TestCluster, LEASE_TTL, TIMING};
use control_plane::credentials::{hash_password, issue_token};
use control_plane::model::{DataNodeId, EpochMillis, TenantName, UserName};
use control_plane::{Command, ControlError, Outcome, RaftTiming, Refusal};
use proto::control_plane_client::ControlPlaneClient;
use proto::{AuthenticateRequest, CredentialKind, HeartbeatRequest, RouteRequest};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn create_tenant(name: &str) -> Command {
    Command::CreateTenant {
        name: TenantName::new(name),
        comment: None,
        at: EpochMillis::now(),
    }
}

async fn tenant_names(cluster: &TestCluster, id: u64) -> BTreeSet<String> {
    cluster
        .node(id)
        .read(|state| state.tenants.keys().map(|t| t.to_string()).collect())
        .await
        .expect("linearizable read")
}

async fn client(address: &str) -> ControlPlaneClient<tonic::transport::Channel> {
    ControlPlaneClient::connect(format!("http://{address}"))
        .await
        .expect("connects")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_follower_forwards_writes_and_every_node_reads_them() {
    let cluster = TestCluster::start(3).await;
    let leader = cluster.leader().await;
    let follower = cluster.follower_of(leader);
    let committed = cluster
        .node(follower)
        .propose(create_tenant("acme"))
        .await
        .unwrap();
    assert!(matches!(committed.outcome, Outcome::Tenant(_)));
    let again = cluster
        .node(leader)
        .propose(create_tenant("ACME"))
        .await
        .unwrap();
    assert_eq!(
        again.outcome,
        Outcome::Refused(Refusal::TenantExists("ACME".into()))
    );
    for id in 1..=3 {
        assert_eq!(
            tenant_names(&cluster, id).await,
            BTreeSet::from(["ACME".to_string()])
        );
    }
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn losing_the_leader_under_writes_elects_another_and_loses_nothing_acknowledged() {
    let mut cluster = TestCluster::start(3).await;
    let old_leader = cluster.leader().await;
    let writer_node = cluster.follower_of(old_leader);
    let writer_address = cluster.address(writer_node);
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));

    // A steady stream of writes through a follower's gRPC service, as an admin client sends.
    let writer = {
        let acknowledged = acknowledged.clone();
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut client = client(&writer_address).await;
            let mut attempt = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                attempt += 1;
                let name = format!("t{attempt}");
                let command_json = serde_json::to_vec(&create_tenant(&name)).unwrap();
                let request = proto::ProposeRequest { command_json };
                if let Ok(reply) = client.propose(request).await {
                    let outcome: Outcome =
                        serde_json::from_slice(&reply.into_inner().outcome_json).unwrap();
                    assert!(matches!(outcome, Outcome::Tenant(_)), "{outcome:?}");
                    acknowledged.lock().unwrap().push(name.to_uppercase());
                }
            }
        })
    };
    wait_until(
        "writes before the failover",
        Duration::from_secs(10),
        || std::future::ready(acknowledged.lock().unwrap().len() >= 20),
    )
    .await;
    let started = std::time::Instant::now();
    cluster.kill(old_leader).await;
    let new_leader = cluster.leader().await;
    let failover = started.elapsed();
    assert_ne!(new_leader, old_leader);
    let before = acknowledged.lock().unwrap().len();
    wait_until("writes after the failover", Duration::from_secs(10), || {
        std::future::ready(acknowledged.lock().unwrap().len() >= before + 20)
    })
    .await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.await.unwrap();

    let stored = tenant_names(&cluster, new_leader).await;
    let acknowledged = acknowledged.lock().unwrap().clone();
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|name| !stored.contains(*name))
        .collect();
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    assert!(
        failover < Duration::from_secs(5),
        "failover took {failover:?}"
    );
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cluster_restarted_from_disk_has_all_its_state() {
    let mut cluster = TestCluster::start(3).await;
    for name in ["a", "b", "c"] {
        cluster.node(1).propose(create_tenant(name)).await.unwrap();
    }
    for id in 1..=3 {
        cluster.kill(id).await;
    }
    for id in 1..=3 {
        cluster.launch(id).await;
    }
    let leader = cluster.leader().await;
    let expected: BTreeSet<String> = ["A", "B", "C"].iter().map(|s| s.to_string()).collect();
    assert_eq!(tenant_names(&cluster, leader).await, expected);
    // A restarted node that is not initialized again refuses nothing: bootstrap is idempotent.
    assert!(!cluster
        .node(1)
        .initialize(Default::default())
        .await
        .unwrap());
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_new_member_catches_up_from_a_snapshot_after_log_compaction() {
    let timing = RaftTiming {
        snapshot_every: 20,
        ..TIMING
    };
    let mut cluster = TestCluster::start_with(3, timing).await;
    let leader = cluster.leader().await;
    for i in 0..150 {
        cluster
            .node(leader)
            .propose(create_tenant(&format!("s{i}")))
            .await
            .unwrap();
    }
    wait_until("a snapshot", Duration::from_secs(10), || {
        let snapshot = cluster.node(leader).raft().metrics().borrow().snapshot;
        std::future::ready(snapshot.is_some_and(|log_id| log_id.index >= 100))
    })
    .await;
    cluster.launch(4).await;
    let address = cluster.address(4);
    cluster.node(leader).add_member(4, address).await.unwrap();
    let tenants = tenant_names(&cluster, 4).await;
    assert_eq!(tenants.len(), 150);
    let status = cluster.node(4).status();
    assert_eq!(status.members.iter().filter(|m| m.voter).count(), 4);
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_dead_data_nodes_tenants_move_to_a_live_node_with_a_new_generation() {
    let cluster = TestCluster::start(3).await;
    let leader = cluster.leader().await;
    let follower_address = cluster.address(cluster.follower_of(leader));
    let mut grpc = client(&follower_address).await;
    let heartbeat = |node: &str| HeartbeatRequest {
        node: Some(node.to_string().into()),
        address: format!("http://{node}:8080"),
    };
    grpc.heartbeat(heartbeat("dn1")).await.unwrap();
    cluster
        .node(leader)
        .propose(create_tenant("acme"))
        .await
        .unwrap();
    let route = |grpc: &mut ControlPlaneClient<_>| {
        let mut grpc = grpc.clone();
        async move {
            grpc.route(RouteRequest {
                tenant: Some("acme".into()),
            })
            .await
            .unwrap()
            .into_inner()
        }
    };
    let first = route(&mut grpc).await;
    assert_eq!(first.node.unwrap().value, "dn1");
    // dn2 keeps heartbeating; dn1 has stopped.
    let deadline = std::time::Instant::now() + LEASE_TTL * 10;
    let moved = loop {
        let reply = grpc.heartbeat(heartbeat("dn2")).await.unwrap().into_inner();
        let acme = reply
            .assignments
            .iter()
            .find(|a| a.tenant.as_ref().unwrap().value == "ACME");
        if let Some(assignment) = acme {
            break assignment.generation.unwrap().value;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "acme did not move to dn2"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(moved > first.generation.unwrap().value);
    let now = route(&mut grpc).await;
    assert_eq!(now.node.unwrap().value, "dn2");
    assert!(!cluster
        .node(leader)
        .read(|state| state.nodes[&DataNodeId("dn1".into())].live)
        .await
        .unwrap());
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn logins_check_passwords_and_tokens_and_honour_revocation() {
    let cluster = TestCluster::start(3).await;
    let leader = cluster.leader().await;
    let node = cluster.node(leader);
    node.propose(create_tenant("acme")).await.unwrap();
    node.propose(Command::CreateUser {
        tenant: TenantName::new("acme"),
        user: UserName::new("ann"),
        password_hash: Some(hash_password("s3cret")),
        default_role: Some(control_plane::model::RoleName::new("sysadmin")),
        at: EpochMillis::now(),
    })
    .await
    .unwrap();
    let (token, secret) = issue_token(
        UserName::new("ann"),
        "ci".into(),
        EpochMillis::now(),
        60_000,
    );
    let token_id = token.id.clone();
    node.propose(Command::CreateToken {
        tenant: TenantName::new("acme"),
        token,
    })
    .await
    .unwrap();

    // Ask a follower: its answer must reflect the leader's latest writes.
    let mut grpc = client(&cluster.address(cluster.follower_of(leader))).await;
    let login =
        |tenant: &str, user: &str, kind: CredentialKind, secret: &str| AuthenticateRequest {
            tenant: Some(tenant.into()),
            user: Some(user.to_string().into()),
            kind: kind as i32,
            secret: secret.into(),
        };
    let reply = grpc
        .authenticate(login("ACME", "Ann", CredentialKind::Password, "s3cret"))
        .await
        .unwrap()
        .into_inner();
    assert!(reply.accepted);
    assert_eq!(reply.default_role, "SYSADMIN");
    let wrong = grpc
        .authenticate(login("acme", "ann", CredentialKind::Password, "nope"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (wrong.accepted, wrong.refusal.as_str()),
        (false, "BAD_CREDENTIALS")
    );
    let unknown = grpc
        .authenticate(login("other", "ann", CredentialKind::Password, "s3cret"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(unknown.refusal, "UNKNOWN_TENANT");
    let by_token = grpc
        .authenticate(login("acme", "ann", CredentialKind::AccessToken, &secret))
        .await
        .unwrap()
        .into_inner();
    assert!(by_token.accepted);

    node.propose(Command::RevokeToken {
        tenant: TenantName::new("acme"),
        id: token_id,
    })
    .await
    .unwrap();
    let revoked = grpc
        .authenticate(login("acme", "ann", CredentialKind::AccessToken, &secret))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (revoked.accepted, revoked.refusal.as_str()),
        (false, "BAD_CREDENTIALS")
    );
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn membership_changes_on_a_follower_name_the_leader() {
    let cluster = TestCluster::start(3).await;
    let leader = cluster.leader().await;
    let follower = cluster.follower_of(leader);
    match cluster.node(follower).remove_member(leader).await {
        Err(ControlError::NotLeader { leader: named, .. }) => assert_eq!(named, leader),
        other => panic!("expected NotLeader, got {other:?}"),
    }
    cluster.shutdown().await;
}
