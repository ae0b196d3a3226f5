//! `jobs list|show|retry --db URL`: the after-capture jobs of `serve`, read
//! and retried directly in its database (JSON on stdout; exit 1 when the job
//! is unknown or cannot be retried).

use kravia_invoice::service::db::Db;
use kravia_invoice::service::jobs::JobStore;
use serde_json::json;

use crate::cli::args::{JobsAction, JobsArgs};
use crate::cli::exit::Outcome;
use crate::cli::output::Printer;

/// Runs `jobs`.
pub fn run(args: &JobsArgs, out: &mut Printer) -> Outcome {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return out.fatal(true, &format!("starting a runtime: {e}")),
    };
    let result: Result<serde_json::Value, String> = runtime.block_on(async {
        let db = Db::open(&args.db, 2).await.map_err(|e| e.to_string())?;
        let store = JobStore::new(db.clone());
        let r = match &args.action {
            JobsAction::List { state } => store
                .list(state.as_deref())
                .await
                .map(|jobs| json!({ "jobs": jobs }))
                .map_err(|e| e.to_string()),
            JobsAction::Show { transaction_id } => match store.get(transaction_id).await {
                Ok(Some((job, history))) => Ok(json!({ "job": job, "history": history })),
                Ok(None) => Err(format!("no job for transaction {transaction_id:?}")),
                Err(e) => Err(e.to_string()),
            },
            JobsAction::Retry { transaction_id } => match store.retry(transaction_id).await {
                Ok(true) => match store.get(transaction_id).await {
                    Ok(Some((job, history))) => Ok(json!({ "job": job, "history": history })),
                    Ok(None) => Err(format!("no job for transaction {transaction_id:?}")),
                    Err(e) => Err(e.to_string()),
                },
                Ok(false) => Err(format!(
                    "job {transaction_id:?} is unknown or not failed or rejected"
                )),
                Err(e) => Err(e.to_string()),
            },
        };
        db.pool.close().await;
        r
    });
    match result {
        Ok(v) => {
            out.stdout_line(&v.to_string());
            Outcome::Done
        }
        Err(e) => out.fatal(true, &e),
    }
}
