//! JDBC URLs (`connection.url`) as the connectors accept them, and the database each names:
//!
//! - `jdbc:postgresql://host[:port][/database][?user=…&password=…]` (port 5432);
//! - `jdbc:mysql://[user[:password]@]host[:port][/database][?user=…&password=…]` and the
//!   same with `jdbc:mariadb:` (port 3306);
//! - `jdbc:sqlite:PATH` (`jdbc:sqlite::memory:` for an in-memory database).
//!
//! `connection.user` / `connection.password`, when set, take the place of the URL's.

use std::fmt;

use crate::dialect::Dialect;

/// A parsed `connection.url`.
#[derive(Clone, PartialEq, Eq)]
pub struct JdbcUrl {
    /// The database family the URL names.
    pub dialect: Dialect,
    /// The subprotocol as written (`mariadb` and `mysql` both name MySQL's dialect).
    pub subprotocol: String,
    /// Host (`None` for SQLite).
    pub host: Option<String>,
    /// Port (`None` for SQLite).
    pub port: Option<u16>,
    /// Database name, or the SQLite file.
    pub database: String,
    /// User from the URL.
    pub user: Option<String>,
    /// Password from the URL.
    pub password: Option<String>,
    /// Other URL parameters, in order.
    pub params: Vec<(String, String)>,
}

/// Why a `connection.url` cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UrlError(pub String);

impl fmt::Debug for JdbcUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

/// Shows the URL with its password masked, as logs and errors must.
impl fmt::Display for JdbcUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.dialect {
            Dialect::Sqlite => write!(f, "jdbc:sqlite:{}", self.database),
            _ => {
                write!(f, "jdbc:{}://", self.subprotocol)?;
                if let Some(user) = &self.user {
                    write!(f, "{user}")?;
                    if self.password.is_some() {
                        write!(f, ":********")?;
                    }
                    write!(f, "@")?;
                }
                write!(f, "{}", self.host.as_deref().unwrap_or(""))?;
                if let Some(port) = self.port {
                    write!(f, ":{port}")?;
                }
                write!(f, "/{}", self.database)?;
                let mut sep = '?';
                for (k, v) in &self.params {
                    write!(f, "{sep}{k}={v}")?;
                    sep = '&';
                }
                Ok(())
            }
        }
    }
}

/// Masks the password of `user:password@` and of `password=` parameters in URL text, for
/// messages that must quote what the user typed.
pub fn mask_password(url: &str) -> String {
    connect_api::config::mask_url_credentials(url).into_owned()
}

fn percent_decode(text: &str) -> Result<String, UrlError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| {
                    UrlError(format!("bad percent escape in '{}'", mask_password(text)))
                })?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| UrlError("a percent escape is not UTF-8".to_string()))
}

impl JdbcUrl {
    /// Parses a `connection.url`.
    pub fn parse(url: &str) -> Result<JdbcUrl, UrlError> {
        let url = url.trim();
        let Some(rest) = url.strip_prefix("jdbc:") else {
            return Err(UrlError(
                "the URL must start with 'jdbc:' (for example jdbc:postgresql://host:5432/db)"
                    .to_string(),
            ));
        };
        let (sub, body) = rest.split_once(':').unwrap_or((rest, ""));
        let dialect = Dialect::from_subprotocol(sub).ok_or_else(|| {
            UrlError(format!(
                "the JDBC subprotocol '{sub}' is not supported (supported: postgresql, mysql, \
mariadb, sqlite)"
            ))
        })?;
        if dialect == Dialect::Sqlite {
            if body.is_empty() {
                return Err(UrlError(
                    "a SQLite URL names a file: jdbc:sqlite:PATH".to_string(),
                ));
            }
            // sqlite-jdbc takes parameters after '?'; the file is what comes before
            let (path, params) = body.split_once('?').unwrap_or((body, ""));
            return Ok(JdbcUrl {
                dialect,
                subprotocol: sub.to_string(),
                host: None,
                port: None,
                database: path.to_string(),
                user: None,
                password: None,
                params: parse_params(params)?,
            });
        }
        let Some(body) = body.strip_prefix("//") else {
            return Err(UrlError(format!(
                "expected jdbc:{sub}://host[:port]/database, got '{}'",
                mask_password(url)
            )));
        };
        let (authority, path_and_query) = match body.find(['/', '?']) {
            Some(i) => body.split_at(i),
            None => (body, ""),
        };
        let (userinfo, hostport) = match authority.rfind('@') {
            Some(at) => (Some(&authority[..at]), &authority[at + 1..]),
            None => (None, authority),
        };
        let (mut user, mut password) = match userinfo {
            Some(info) => match info.split_once(':') {
                Some((u, p)) => (Some(percent_decode(u)?), Some(percent_decode(p)?)),
                None => (Some(percent_decode(info)?), None),
            },
            None => (None, None),
        };
        if hostport.contains(',') {
            return Err(UrlError(format!(
                "more than one host is not supported: '{}'",
                mask_password(url)
            )));
        }
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || hostport.starts_with('[') => {
                let port = p.parse::<u16>().map_err(|_| {
                    UrlError(format!(
                        "the port '{p}' in '{}' is not a number",
                        mask_password(url)
                    ))
                })?;
                (h, Some(port))
            }
            _ => (hostport, None),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let host = if host.is_empty() { "localhost" } else { host };
        let (path, query) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        let database = percent_decode(path.trim_start_matches('/'))?;
        let mut params = Vec::new();
        for (k, v) in parse_params(query)? {
            match k.as_str() {
                "user" => user = Some(v),
                "password" => password = Some(v),
                _ => params.push((k, v)),
            }
        }
        Ok(JdbcUrl {
            dialect,
            subprotocol: sub.to_string(),
            host: Some(host.to_string()),
            port: Some(port.unwrap_or(dialect.default_port())),
            database,
            user,
            password,
            params,
        })
    }
}

fn parse_params(query: &str) -> Result<Vec<(String, String)>, UrlError> {
    let mut out = Vec::new();
    for part in query.split(['&', ';']).filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        out.push((percent_decode(k)?, percent_decode(v)?));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn postgres_with_credentials_in_the_query() {
        let u = JdbcUrl::parse(
            "jdbc:postgresql://db.example:6432/shop?user=app&password=s%40cret&sslmode=disable",
        )
        .unwrap();
        assert_eq!(u.dialect, Dialect::Postgres);
        assert_eq!(u.host.as_deref(), Some("db.example"));
        assert_eq!(u.port, Some(6432));
        assert_eq!(u.database, "shop");
        assert_eq!(u.user.as_deref(), Some("app"));
        assert_eq!(u.password.as_deref(), Some("s@cret"));
        assert_eq!(
            u.params,
            vec![("sslmode".to_string(), "disable".to_string())]
        );
        let shown = u.to_string();
        assert!(!shown.contains("s@cret"), "{shown}");
        assert_eq!(
            shown,
            "jdbc:postgresql://app:********@db.example:6432/shop?sslmode=disable"
        );
    }

    #[test]
    fn mysql_and_mariadb_with_userinfo_and_default_port() {
        let u = JdbcUrl::parse("jdbc:mysql://root:pw@localhost/inventory").unwrap();
        assert_eq!(u.dialect, Dialect::MySql);
        assert_eq!(u.port, Some(3306));
        assert_eq!(
            (u.user.as_deref(), u.password.as_deref()),
            (Some("root"), Some("pw"))
        );
        assert_eq!(u.database, "inventory");
        let m = JdbcUrl::parse("jdbc:mariadb://127.0.0.1:13306/demo").unwrap();
        assert_eq!(m.dialect, Dialect::MySql);
        assert_eq!(m.port, Some(13306));
        assert_eq!(m.user, None);
        assert_eq!(m.to_string(), "jdbc:mariadb://127.0.0.1:13306/demo");
    }

    #[test]
    fn sqlite_files() {
        let u = JdbcUrl::parse("jdbc:sqlite:/tmp/test.db").unwrap();
        assert_eq!(u.dialect, Dialect::Sqlite);
        assert_eq!(u.database, "/tmp/test.db");
        assert_eq!(
            JdbcUrl::parse("jdbc:sqlite:rel.db").unwrap().database,
            "rel.db"
        );
        assert!(JdbcUrl::parse("jdbc:sqlite:").is_err());
    }

    #[test]
    fn bad_urls_say_what_is_wrong() {
        let e = JdbcUrl::parse("postgresql://x/y").unwrap_err();
        assert!(e.0.contains("jdbc:"), "{e}");
        let e = JdbcUrl::parse("jdbc:oracle:thin:@x:1521:db").unwrap_err();
        assert!(e.0.contains("'oracle'"), "{e}");
        let e = JdbcUrl::parse("jdbc:postgresql://h:abc/db?password=hunter2").unwrap_err();
        assert!(e.0.contains("'abc'") && !e.0.contains("hunter2"), "{e}");
    }

    #[test]
    fn masks_passwords_in_raw_text() {
        assert_eq!(
            mask_password("jdbc:mysql://u:secret@h:1/db?password=x&a=b"),
            "jdbc:mysql://u:********@h:1/db?password=********&a=b"
        );
        assert_eq!(
            mask_password("jdbc:postgresql://h/db?user=u&password=p"),
            "jdbc:postgresql://h/db?user=u&password=********"
        );
    }
}
