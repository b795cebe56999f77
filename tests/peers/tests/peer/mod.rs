//! What only the peer tests need beside the shared test helpers.

/// tokio-postgres's configuration for a test URL: the throwaway cluster's
/// URLs name their Unix socket directory in a `host` parameter, which
/// tokio-postgres would take as a second host beside `localhost`.
pub fn pg_config(url: &str) -> tokio_postgres::Config {
    let Some((rest, socket)) = url.split_once("?host=") else {
        return url.parse().expect("a URL tokio-postgres reads");
    };
    let (user_host, dbname) = rest
        .trim_start_matches("postgresql://")
        .trim_start_matches("postgres://")
        .split_once('/')
        .expect("a database name");
    let user = user_host.split_once('@').map_or("postgres", |(u, _)| u);
    let mut config = tokio_postgres::Config::new();
    config.user(user).dbname(dbname).host_path(socket);
    config
}
