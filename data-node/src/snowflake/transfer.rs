//! The response to PUT and GET: not a result set but what the driver must move, with the
//! stage as a `LOCAL_FS` location (protocol reference §4.3). The driver copies the files and
//! builds the statement's result rows itself.

use engine::{FileTransfer, SessionState, TransferDirection};
use serde_json::{json, Value};

use super::now_ms;
use super::parameters::with_overrides;

/// Snowflake's statement type ids for GET (0x7101) and PUT (0x7102).
const GET_TYPE_ID: u32 = 0x7101;
const PUT_TYPE_ID: u32 = 0x7102;

pub(super) fn transfer_data(
    transfer: &FileTransfer,
    state: &SessionState,
    query_id: &str,
) -> Value {
    let (command, type_id) = match transfer.direction {
        TransferDirection::Upload => ("UPLOAD", PUT_TYPE_ID),
        TransferDirection::Download => ("DOWNLOAD", GET_TYPE_ID),
    };
    json!({
        "command": command,
        "src_locations": transfer.source_locations,
        "localLocation": transfer.local_location,
        "parallel": transfer.parallel,
        "autoCompress": transfer.auto_compress,
        "sourceCompression": transfer.source_compression,
        "overwrite": transfer.overwrite,
        "threshold": 200 * 1024 * 1024,
        "stageInfo": {
            "locationType": "LOCAL_FS",
            "location": transfer.stage_location,
            "path": "",
            "region": null,
            "storageAccount": null,
            "isClientSideEncrypted": false,
            "creds": {},
            "endPoint": null,
        },
        "encryptionMaterial": null,
        "presignedUrls": null,
        "parameters": with_overrides(&state.parameters),
        "rowtype": [],
        "rowset": [],
        "total": 0,
        "returned": 0,
        "queryId": query_id,
        "statementTypeId": type_id,
        "queryResultFormat": "json",
        "version": 1,
        "sendResultTime": now_ms(),
        "finalDatabaseName": state.database,
        "finalSchemaName": state.schema,
        "finalWarehouseName": state.warehouse,
        "finalRoleName": state.role,
    })
}
