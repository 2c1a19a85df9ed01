//! `mercato serve`: the HTTP API and the web pages.

use crate::cli::{Outcome, ServeArgs};
use anyhow::Context;
use mercato_serve::{router, AppState, Config};

/// Runs the server until Ctrl-C.
pub fn run(args: &ServeArgs) -> anyhow::Result<Outcome> {
    let kb = crate::kb_cmd::load(&args.kb)?.kb;
    let config = Config {
        db: args.db.db.clone(),
        token: args.token.clone().filter(|t| !t.is_empty()),
        cors_origin: args.cors_origin.clone(),
        body_limit: args.body_limit,
    };
    let writes = if config.token.is_some() { "writes need the bearer token" } else { "writes are off (no --token)" };
    let state = AppState::new(config, kb)?;
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port))
            .await
            .with_context(|| format!("cannot listen on {}:{}", args.host, args.port))?;
        let address = listener.local_addr()?;
        eprintln!("mercato: serving http://{address}/ (board), /api/v1/ (API), /openapi.json; {writes}; Ctrl-C stops");
        axum::serve(listener, router(state))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("the server failed")
    })?;
    Ok(Outcome::Ok)
}
