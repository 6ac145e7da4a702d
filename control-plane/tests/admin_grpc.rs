//! The typed gRPC `Admin` service on a real three-node cluster: every call is asked of a
//! follower, so each write also exercises forwarding to the leader.

mod common;

use common::{wait_until, TestCluster, ADMIN_TOKEN};
use proto::admin_client::AdminClient;
use proto::control_plane_client::ControlPlaneClient;
use proto::{
    AddMemberRequest, AuthenticateRequest, CreateTenantRequest, CreateTokenRequest,
    CreateUserRequest, CredentialKind, GrantRoleRequest, ListTenantsRequest, RoleRef,
    StatusRequest, TokenRef, UserRef,
};
use std::time::Duration;
use tonic::metadata::MetadataValue;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;
use tonic::{Code, Request, Status};

type AddToken = Box<dyn FnMut(Request<()>) -> Result<Request<()>, Status> + Send>;
type Authorized = InterceptedService<Channel, AddToken>;

async fn admin(address: &str, token: &str) -> AdminClient<Authorized> {
    let channel = Channel::from_shared(format!("http://{address}"))
        .unwrap()
        .connect()
        .await
        .expect("connects");
    let bearer: MetadataValue<_> = format!("Bearer {token}").parse().unwrap();
    let add_token: AddToken = Box::new(move |mut request: Request<()>| {
        request
            .metadata_mut()
            .insert("authorization", bearer.clone());
        Ok(request)
    });
    AdminClient::with_interceptor(channel, add_token)
}

fn user_ref(tenant: &str, user: &str) -> Option<UserRef> {
    Some(UserRef {
        tenant: Some(tenant.into()),
        user: Some(user.to_string().into()),
    })
}

async fn token_login(address: &str, tenant: &str, user: &str, secret: &str) -> (bool, String) {
    let reply = ControlPlaneClient::connect(format!("http://{address}"))
        .await
        .expect("connects")
        .authenticate(AuthenticateRequest {
            tenant: Some(tenant.into()),
            user: Some(user.to_string().into()),
            kind: CredentialKind::AccessToken as i32,
            secret: secret.to_owned(),
        })
        .await
        .expect("authenticate answers")
        .into_inner();
    (reply.accepted, reply.roles.join(","))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_admin_service_manages_identities_from_any_node() {
    let cluster = TestCluster::start(3).await;
    let leader = cluster.leader().await;
    let follower = cluster.follower_of(leader);
    let address = cluster.address(follower);
    let mut client = admin(&address, ADMIN_TOKEN).await;

    let tenant = client
        .create_tenant(CreateTenantRequest {
            name: Some("acme".into()),
            comment: "test tenant".into(),
        })
        .await
        .expect("tenant created")
        .into_inner();
    assert_eq!(tenant.name.unwrap().value, "ACME");
    let again = client
        .create_tenant(CreateTenantRequest {
            name: Some("ACME".into()),
            comment: String::new(),
        })
        .await
        .expect_err("a second ACME is refused");
    assert_eq!(again.code(), Code::AlreadyExists);
    let bad_name = client
        .create_tenant(CreateTenantRequest {
            name: Some("no spaces".into()),
            comment: String::new(),
        })
        .await
        .expect_err("an invalid name is refused");
    assert_eq!(bad_name.code(), Code::InvalidArgument);

    let user = client
        .create_user(CreateUserRequest {
            tenant: Some("acme".into()),
            user: Some("ann".to_string().into()),
            password: String::new(),
            default_role: None,
        })
        .await
        .expect("user created")
        .into_inner();
    assert_eq!(user.name.unwrap().value, "ANN");
    assert!(!user.has_password);
    client
        .create_role(RoleRef {
            tenant: Some("acme".into()),
            role: Some("analyst".to_string().into()),
        })
        .await
        .expect("role created");
    client
        .grant_role(GrantRoleRequest {
            role: Some(RoleRef {
                tenant: Some("acme".into()),
                role: Some("analyst".to_string().into()),
            }),
            user: Some("ann".to_string().into()),
        })
        .await
        .expect("role granted");

    let issued = client
        .create_token(CreateTokenRequest {
            user: user_ref("acme", "ann"),
            name: "ci".into(),
            valid_for_days: 1,
        })
        .await
        .expect("token created")
        .into_inner();
    let (accepted, roles) = token_login(&address, "acme", "ann", &issued.secret).await;
    assert!(accepted, "the new token logs in");
    assert!(roles.split(',').any(|role| role == "ANALYST"), "{roles}");

    let listed = client
        .list_tokens(proto::TenantName::from("acme"))
        .await
        .expect("tokens listed")
        .into_inner();
    assert_eq!(listed.tokens.len(), 1);
    let token = listed.tokens[0].clone();
    assert!(!token.revoked);
    client
        .revoke_token(TokenRef {
            tenant: Some("acme".into()),
            id: token.id.clone(),
        })
        .await
        .expect("token revoked");
    let (accepted, _) = token_login(&address, "acme", "ann", &issued.secret).await;
    assert!(!accepted, "a revoked token is refused");

    let missing = client
        .list_users(proto::TenantName::from("nobody"))
        .await
        .expect_err("an unknown tenant");
    assert_eq!(missing.code(), Code::NotFound);
    let tenants = client
        .list_tenants(ListTenantsRequest {})
        .await
        .expect("tenants listed")
        .into_inner();
    assert_eq!(tenants.tenants.len(), 1);
    assert_eq!(tenants.tenants[0].users, 1);

    let mut intruder = admin(&address, "not-the-token").await;
    let refused = intruder
        .list_tenants(ListTenantsRequest {})
        .await
        .expect_err("a wrong admin token is refused");
    assert_eq!(refused.code(), Code::Unauthenticated);
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn membership_changes_asked_of_a_follower_are_made_by_the_leader() {
    let mut cluster = TestCluster::start(3).await;
    let leader = cluster.leader().await;
    let follower = cluster.follower_of(leader);
    cluster.launch(4).await;
    let mut client = admin(&cluster.address(follower), ADMIN_TOKEN).await;
    client
        .add_member(AddMemberRequest {
            id: Some(4.into()),
            address: cluster.address(4),
        })
        .await
        .expect("the follower forwards the new member to the leader");
    wait_until("four voters on node 4", Duration::from_secs(10), || {
        let voters = cluster
            .node(4)
            .status()
            .members
            .iter()
            .filter(|m| m.voter)
            .count();
        std::future::ready(voters == 4)
    })
    .await;

    client
        .remove_member(proto::RaftNodeId::from(4))
        .await
        .expect("the follower forwards the removal to the leader");
    wait_until(
        "three members on the follower",
        Duration::from_secs(10),
        || {
            let members = cluster.node(follower).status().members.len();
            std::future::ready(members == 3)
        },
    )
    .await;
    let status = client
        .cluster_status(StatusRequest {})
        .await
        .expect("status")
        .into_inner();
    assert_eq!(status.leader.map(|id| id.value), Some(leader));
    assert_eq!(status.state, "Follower");
    cluster.shutdown().await;
}
