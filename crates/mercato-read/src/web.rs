//! Fetching feeds and pages over HTTP(S), or reading them from files, with a time and size
//! limit. Used by `mercato watch`.

use crate::ReadError;
use std::time::Duration;

/// How long a fetch may take.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// Whether a feed or page name is a web address (else a file path).
pub fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

/// The bytes at a web address or in a file, at most `max_bytes`.
pub fn fetch(location: &str, max_bytes: usize) -> Result<Vec<u8>, ReadError> {
    if !is_url(location) {
        return std::fs::read(location).map_err(|source| ReadError::Io { path: location.to_string(), source });
    }
    let failed = |message: String| ReadError::Fetch { url: location.to_string(), message };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .user_agent("mercato (transfer-rumour reader)")
        .build()
        .into();
    let mut response = agent.get(location).call().map_err(|e| failed(e.to_string()))?;
    response.body_mut().with_config().limit(max_bytes as u64).read_to_vec().map_err(|e| failed(e.to_string()))
}
