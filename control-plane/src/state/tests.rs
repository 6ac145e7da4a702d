use super::*;

fn tenant(name: &str) -> TenantName {
    TenantName::new(name)
}

fn create_tenant(state: &mut ControlState, name: &str) -> Outcome {
    state.apply(&Command::CreateTenant {
        name: tenant(name),
        comment: None,
        at: EpochMillis(1_000),
    })
}

fn heartbeat(state: &mut ControlState, node: &str, at: u64) -> Outcome {
    state.apply(&Command::Heartbeat {
        node: DataNodeId(node.into()),
        address: format!("http://{node}"),
        at: EpochMillis(at),
        ttl_ms: 10_000,
    })
}

fn assigned_node(state: &ControlState, name: &str) -> Option<(String, u64)> {
    let assignment = state.tenant(&tenant(name))?.assignment.as_ref()?;
    Some((assignment.node.0.clone(), assignment.generation.0))
}

#[test]
fn tenant_names_fold_to_upper_case_and_are_unique() {
    let mut state = ControlState::default();
    assert!(matches!(
        create_tenant(&mut state, "acme"),
        Outcome::Tenant(_)
    ));
    assert_eq!(
        create_tenant(&mut state, "ACME"),
        Outcome::Refused(Refusal::TenantExists("ACME".into()))
    );
    let roles: Vec<_> = state
        .tenant(&tenant("Acme"))
        .unwrap()
        .roles
        .keys()
        .cloned()
        .collect();
    assert_eq!(roles.len(), SYSTEM_ROLES.len());
}

#[test]
fn users_need_their_tenant_and_a_known_default_role() {
    let mut state = ControlState::default();
    let create = |role: Option<&str>| Command::CreateUser {
        tenant: tenant("acme"),
        user: UserName::new("ann"),
        password_hash: None,
        default_role: role.map(RoleName::new),
        at: EpochMillis(5),
    };
    assert_eq!(
        state.apply(&create(None)),
        Outcome::Refused(Refusal::NoSuchTenant("ACME".into()))
    );
    create_tenant(&mut state, "acme");
    assert_eq!(
        state.apply(&create(Some("analyst"))),
        Outcome::Refused(Refusal::NoSuchRole("ANALYST".into()))
    );
    let Outcome::User(user) = state.apply(&create(None)) else {
        panic!("user not created")
    };
    assert_eq!(user.default_role.as_str(), DEFAULT_ROLE);
    assert_eq!(
        state.apply(&create(None)),
        Outcome::Refused(Refusal::UserExists("ANN".into()))
    );
}

#[test]
fn deleting_a_user_removes_its_tokens_and_grants() {
    let mut state = ControlState::default();
    create_tenant(&mut state, "acme");
    let ann = UserName::new("ann");
    state.apply(&Command::CreateUser {
        tenant: tenant("acme"),
        user: ann.clone(),
        password_hash: None,
        default_role: None,
        at: EpochMillis(5),
    });
    state.apply(&Command::GrantRole {
        tenant: tenant("acme"),
        role: RoleName::new("sysadmin"),
        user: ann.clone(),
    });
    state.apply(&Command::CreateToken {
        tenant: tenant("acme"),
        token: AccessToken {
            id: TokenId("t1".into()),
            name: "ci".into(),
            user: ann.clone(),
            secret_sha256: "00".into(),
            created_at: EpochMillis(5),
            expires_at: EpochMillis(50),
            revoked: false,
        },
    });
    state.apply(&Command::DeleteUser {
        tenant: tenant("acme"),
        user: ann.clone(),
    });
    let acme = state.tenant(&tenant("acme")).unwrap();
    assert!(acme.tokens.is_empty());
    assert!(acme
        .roles
        .values()
        .all(|role| !role.grantees.contains(&ann)));
}

#[test]
fn tenants_go_to_the_least_loaded_live_node_with_a_new_generation() {
    let mut state = ControlState::default();
    create_tenant(&mut state, "a");
    assert_eq!(assigned_node(&state, "a"), None, "no node yet");
    heartbeat(&mut state, "n1", 2_000);
    assert_eq!(assigned_node(&state, "a"), Some(("n1".into(), 1)));
    heartbeat(&mut state, "n2", 2_000);
    create_tenant(&mut state, "b");
    assert_eq!(assigned_node(&state, "b"), Some(("n2".into(), 2)));
}

#[test]
fn an_expired_lease_moves_its_tenants_to_live_nodes() {
    let mut state = ControlState::default();
    heartbeat(&mut state, "n1", 1_000);
    create_tenant(&mut state, "a");
    heartbeat(&mut state, "n2", 1_000);
    // n2 renews, n1 does not: at 12_000 only n1's lease (until 11_000) has ended.
    heartbeat(&mut state, "n2", 5_000);
    let Outcome::Moved { moves } = state.apply(&Command::ExpireLeases {
        at: EpochMillis(12_000),
    }) else {
        panic!("expected moves")
    };
    assert_eq!(moves.len(), 1);
    assert_eq!(assigned_node(&state, "a"), Some(("n2".into(), 2)));
    assert!(!state.nodes[&DataNodeId("n1".into())].live);
    // Nothing more to move: the sweep is idempotent.
    assert_eq!(
        state.apply(&Command::ExpireLeases {
            at: EpochMillis(12_000)
        }),
        Outcome::Moved { moves: vec![] }
    );
}

#[test]
fn a_tenant_whose_every_node_is_gone_waits_unassigned() {
    let mut state = ControlState::default();
    heartbeat(&mut state, "n1", 1_000);
    create_tenant(&mut state, "a");
    state.apply(&Command::ExpireLeases {
        at: EpochMillis(20_000),
    });
    assert_eq!(assigned_node(&state, "a"), None);
    heartbeat(&mut state, "n1", 21_000);
    assert_eq!(assigned_node(&state, "a"), Some(("n1".into(), 2)));
}
