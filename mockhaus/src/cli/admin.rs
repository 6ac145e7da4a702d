//! `mockhaus admin ...`: the control plane's REST admin API from the command line.

use anyhow::{bail, Context};
use clap::{Args, Subcommand};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::Table;
use serde_json::{json, Value};

#[derive(Debug, Args)]
pub struct AdminArgs {
    /// A control-plane node's admin API.
    #[arg(
        long,
        env = "MOCKHAUS_ADMIN_URL",
        default_value = "http://127.0.0.1:7100"
    )]
    url: String,
    /// The admin token (`mockhaus control-plane` prints it on first start).
    #[arg(long, env = "MOCKHAUS_ADMIN_TOKEN", hide_env_values = true)]
    token: String,
    #[command(subcommand)]
    command: AdminCommand,
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Tenants: one per Snowflake account name.
    #[command(subcommand)]
    Tenant(TenantCommand),
    /// Users of a tenant.
    #[command(subcommand)]
    User(UserCommand),
    /// Programmatic access tokens of a tenant's users.
    #[command(subcommand)]
    Token(TokenCommand),
    /// The control-plane cluster.
    #[command(subcommand)]
    Cluster(ClusterCommand),
    /// Data nodes, their leases and tenants.
    #[command(subcommand)]
    Node(NodeCommand),
}

#[derive(Debug, Subcommand)]
enum TenantCommand {
    Create {
        name: String,
        #[arg(long)]
        comment: Option<String>,
    },
    List,
    Delete {
        name: String,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    Create {
        #[arg(long)]
        tenant: String,
        name: String,
        #[arg(long, env = "MOCKHAUS_USER_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        #[arg(long)]
        default_role: Option<String>,
    },
    List {
        #[arg(long)]
        tenant: String,
    },
    Delete {
        #[arg(long)]
        tenant: String,
        name: String,
    },
    SetPassword {
        #[arg(long)]
        tenant: String,
        name: String,
        #[arg(long, env = "MOCKHAUS_USER_PASSWORD", hide_env_values = true)]
        password: String,
    },
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Issues a token; its secret is printed once and never stored.
    Create {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        user: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        days: Option<u64>,
    },
    List {
        #[arg(long)]
        tenant: String,
    },
    Revoke {
        #[arg(long)]
        tenant: String,
        id: String,
    },
}

#[derive(Debug, Subcommand)]
enum ClusterCommand {
    Status,
    /// Adds a voter (any node will do: the change is made on the leader).
    AddMember {
        #[arg(long)]
        id: u64,
        /// Its gRPC address.
        #[arg(long)]
        address: String,
    },
    /// Removes a member (any node will do: the change is made on the leader).
    RemoveMember {
        #[arg(long)]
        id: u64,
    },
}

#[derive(Debug, Subcommand)]
enum NodeCommand {
    List,
}

struct Client {
    agent: ureq::Agent,
    base: String,
    token: String,
}

impl Client {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> anyhow::Result<Value> {
        let url = format!("{}/admin/v1/{path}", self.base);
        let auth = format!("Bearer {}", self.token);
        let response = match (method, body) {
            ("GET", _) => self.agent.get(&url).header("Authorization", &auth).call(),
            ("DELETE", _) => self
                .agent
                .delete(&url)
                .header("Authorization", &auth)
                .call(),
            ("PUT", body) => self
                .agent
                .put(&url)
                .header("Authorization", &auth)
                .send_json(body.unwrap_or(Value::Null)),
            (_, body) => self
                .agent
                .post(&url)
                .header("Authorization", &auth)
                .send_json(body.unwrap_or(Value::Null)),
        };
        let mut response = response.with_context(|| format!("reach {url}"))?;
        let status = response.status();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        let value: Value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).with_context(|| format!("unexpected reply: {text}"))?
        };
        if !status.is_success() {
            let error = &value["error"];
            let mut message = error["message"].as_str().unwrap_or(&text).to_owned();
            if let Some(leader) = error["leader"].as_str() {
                message.push_str(&format!(
                    " (the leader's gRPC address is {leader}; use its admin API)"
                ));
            }
            bail!("{} ({status})", message);
        }
        Ok(value)
    }
}

pub fn run(args: AdminArgs) -> anyhow::Result<()> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let client = Client {
        agent,
        base: args.url.trim_end_matches('/').to_owned(),
        token: args.token,
    };
    let output = match args.command {
        AdminCommand::Tenant(command) => tenant(&client, command)?,
        AdminCommand::User(command) => user(&client, command)?,
        AdminCommand::Token(command) => token(&client, command)?,
        AdminCommand::Cluster(command) => cluster(&client, command)?,
        AdminCommand::Node(NodeCommand::List) => client.call("GET", "nodes", None)?,
    };
    print(&output);
    Ok(())
}

fn tenant(client: &Client, command: TenantCommand) -> anyhow::Result<Value> {
    match command {
        TenantCommand::Create { name, comment } => client.call(
            "POST",
            "tenants",
            Some(json!({"name": name, "comment": comment})),
        ),
        TenantCommand::List => client.call("GET", "tenants", None),
        TenantCommand::Delete { name } => client.call("DELETE", &format!("tenants/{name}"), None),
    }
}

fn user(client: &Client, command: UserCommand) -> anyhow::Result<Value> {
    match command {
        UserCommand::Create {
            tenant,
            name,
            password,
            default_role,
        } => client.call(
            "POST",
            &format!("tenants/{tenant}/users"),
            Some(json!({"name": name, "password": password, "default_role": default_role})),
        ),
        UserCommand::List { tenant } => {
            client.call("GET", &format!("tenants/{tenant}/users"), None)
        }
        UserCommand::Delete { tenant, name } => {
            client.call("DELETE", &format!("tenants/{tenant}/users/{name}"), None)
        }
        UserCommand::SetPassword {
            tenant,
            name,
            password,
        } => client.call(
            "PUT",
            &format!("tenants/{tenant}/users/{name}/password"),
            Some(json!({"password": password})),
        ),
    }
}

fn token(client: &Client, command: TokenCommand) -> anyhow::Result<Value> {
    match command {
        TokenCommand::Create {
            tenant,
            user,
            name,
            days,
        } => client.call(
            "POST",
            &format!("tenants/{tenant}/tokens"),
            Some(json!({"user": user, "name": name, "valid_for_days": days})),
        ),
        TokenCommand::List { tenant } => {
            client.call("GET", &format!("tenants/{tenant}/tokens"), None)
        }
        TokenCommand::Revoke { tenant, id } => {
            client.call("DELETE", &format!("tenants/{tenant}/tokens/{id}"), None)
        }
    }
}

fn cluster(client: &Client, command: ClusterCommand) -> anyhow::Result<Value> {
    match command {
        ClusterCommand::Status => client.call("GET", "cluster", None),
        ClusterCommand::AddMember { id, address } => client.call(
            "POST",
            "cluster/members",
            Some(json!({"id": id, "address": address})),
        ),
        ClusterCommand::RemoveMember { id } => {
            client.call("DELETE", &format!("cluster/members/{id}"), None)
        }
    }
}

/// Lists of records print as a table, anything else as JSON; nothing for an empty reply.
fn print(value: &Value) {
    match value {
        Value::Null => println!("ok"),
        Value::Array(rows) if rows.iter().all(Value::is_object) && !rows.is_empty() => {
            let columns: Vec<String> = rows[0].as_object().unwrap().keys().cloned().collect();
            let mut table = Table::new();
            table.load_preset(UTF8_FULL_CONDENSED);
            table.set_header(&columns);
            for row in rows {
                table.add_row(columns.iter().map(|column| cell(&row[column])));
            }
            println!("{table}");
        }
        Value::Array(rows) if rows.is_empty() => println!("(none)"),
        other => println!(
            "{}",
            serde_json::to_string_pretty(other).unwrap_or_default()
        ),
    }
}

fn cell(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}
