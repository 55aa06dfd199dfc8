//! Config providers (Kafka's `ConfigProvider`s and `ConfigTransformer`): config values of
//! the form `${provider:[path:]key}` are replaced by what the provider named in the
//! worker's `config.providers` finds — a key of a properties file, a file of a directory, an
//! environment variable. Worker configs are resolved at start; connector configs when the
//! connector and its tasks start (and for validation), and are never stored or shown
//! resolved.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use connect_api::plugin::ConfigMap;
use connect_api::{ConnectError, Result};
use regex::Regex;

/// Kafka's reference pattern: `${provider:path:key}` or `${provider:key}`.
fn pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        // a literal pattern: it compiles
        Regex::new(r"\$\{([^}]*?):(([^}]*?):)?([^}]*?)\}").unwrap_or_else(|_| unreachable!())
    })
}

/// Finds values for the keys of one path.
trait Provider: Send + Sync {
    /// The values of those `keys` that exist at `path`. An `Err` fails whatever is being
    /// resolved (a file that cannot be read); a key that does not exist is left out.
    fn get(&self, path: &str, keys: &BTreeSet<String>) -> Result<BTreeMap<String, String>>;
}

/// KIP-993 `allowed.paths`: when set, only paths under one of these directories are read.
#[derive(Debug, Clone, Default)]
struct AllowedPaths(Option<Vec<PathBuf>>);

impl AllowedPaths {
    fn from_params(params: &ConfigMap) -> Result<Self> {
        let Some(list) = params.get("allowed.paths") else {
            return Ok(AllowedPaths(None));
        };
        let mut paths = Vec::new();
        for p in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let path = PathBuf::from(p);
            if !path.is_absolute() {
                return Err(ConnectError::config(
                    "allowed.paths",
                    list,
                    format!("Path {p} is not absolute"),
                ));
            }
            paths.push(normalize(&path));
        }
        Ok(AllowedPaths(Some(paths)))
    }

    /// The path to read, or `None` when it is not allowed.
    fn check(&self, path: &str) -> Option<PathBuf> {
        let wanted = normalize(Path::new(path));
        match &self.0 {
            None => Some(PathBuf::from(path)),
            Some(allowed) => allowed
                .iter()
                .any(|a| wanted.starts_with(a))
                .then_some(wanted),
        }
    }
}

/// `a/./b/../c` → `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `org.apache.kafka.common.config.provider.FileConfigProvider`: `${file:/path/x.properties:key}`.
struct FileProvider {
    allowed: AllowedPaths,
}

impl Provider for FileProvider {
    fn get(&self, path: &str, keys: &BTreeSet<String>) -> Result<BTreeMap<String, String>> {
        if path.is_empty() {
            return Ok(BTreeMap::new());
        }
        let Some(file) = self.allowed.check(path) else {
            tracing::warn!("The path {path} is not allowed to be accessed");
            return Ok(BTreeMap::new());
        };
        let bytes = std::fs::read(&file).map_err(|e| {
            ConnectError::config_message(format!("Could not read properties from file {path}: {e}"))
        })?;
        let props = crate::properties::parse_properties(&bytes).map_err(|e| {
            ConnectError::config_message(format!("Could not read properties from file {path}: {e}"))
        })?;
        Ok(props
            .into_iter()
            .filter(|(k, _)| keys.contains(k))
            .collect())
    }
}

/// `org.apache.kafka.common.config.provider.DirectoryConfigProvider`: `${dir:/path:file}`
/// is the content of that file.
struct DirectoryProvider {
    allowed: AllowedPaths,
}

impl Provider for DirectoryProvider {
    fn get(&self, path: &str, keys: &BTreeSet<String>) -> Result<BTreeMap<String, String>> {
        if path.is_empty() {
            return Ok(BTreeMap::new());
        }
        let Some(dir) = self.allowed.check(path) else {
            tracing::warn!("The path {path} is not allowed to be accessed");
            return Ok(BTreeMap::new());
        };
        if !dir.is_dir() {
            return Err(ConnectError::config_message(format!(
                "Could not read from directory {path}: not a directory"
            )));
        }
        let mut out = BTreeMap::new();
        for key in keys {
            let file = dir.join(key);
            // only regular files directly in the directory
            if key.contains('/') || !file.is_file() {
                continue;
            }
            let text = std::fs::read_to_string(&file).map_err(|e| {
                ConnectError::config_message(format!("Could not read from directory {path}: {e}"))
            })?;
            out.insert(key.clone(), text);
        }
        Ok(out)
    }
}

/// `org.apache.kafka.common.config.provider.EnvVarConfigProvider`: `${env:NAME}`, limited to
/// the names `allowlist.pattern` matches.
struct EnvProvider {
    allowlist: Option<Regex>,
}

impl Provider for EnvProvider {
    fn get(&self, path: &str, keys: &BTreeSet<String>) -> Result<BTreeMap<String, String>> {
        if !path.is_empty() {
            return Err(ConnectError::config_message(format!(
                "Path is not supported for EnvVarConfigProvider, invalid value '{path}'"
            )));
        }
        Ok(keys
            .iter()
            .filter(|k| {
                self.allowlist
                    .as_ref()
                    .is_none_or(|r| r.find(k).is_some_and(|m| m.len() == k.len()))
            })
            .filter_map(|k| std::env::var(k).ok().map(|v| (k.clone(), v)))
            .collect())
    }
}

const FILE_CLASS: &str = "org.apache.kafka.common.config.provider.FileConfigProvider";
const DIRECTORY_CLASS: &str = "org.apache.kafka.common.config.provider.DirectoryConfigProvider";
const ENV_CLASS: &str = "org.apache.kafka.common.config.provider.EnvVarConfigProvider";

fn simple(class: &str) -> &str {
    class.rsplit('.').next().unwrap_or(class)
}

/// The config providers of a worker, and what they resolve.
#[derive(Default)]
pub struct ConfigTransformer {
    providers: BTreeMap<String, Box<dyn Provider>>,
}

impl std::fmt::Debug for ConfigTransformer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigTransformer")
            .field("providers", &self.providers.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl ConfigTransformer {
    /// The providers a worker config declares: `config.providers=a,b`,
    /// `config.providers.a.class=…`, `config.providers.a.param.<k>=…`. A provider without a
    /// class, or with one Ferry does not have, is a config error naming the key.
    pub fn from_worker_config(worker: &ConfigMap) -> Result<Self> {
        let mut providers: BTreeMap<String, Box<dyn Provider>> = BTreeMap::new();
        let names = worker.get("config.providers").cloned().unwrap_or_default();
        for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let class_key = format!("config.providers.{name}.class");
            let Some(class) = worker.get(&class_key).map(|c| c.trim().to_string()) else {
                return Err(ConnectError::config_message(format!(
                    "Missing required configuration \"{class_key}\" which has no default value."
                )));
            };
            let prefix = format!("config.providers.{name}.param.");
            let params: ConfigMap = worker
                .iter()
                .filter_map(|(k, v)| k.strip_prefix(&prefix).map(|p| (p.to_string(), v.clone())))
                .collect();
            let provider: Box<dyn Provider> = match simple(&class) {
                c if c == simple(FILE_CLASS) => Box::new(FileProvider {
                    allowed: AllowedPaths::from_params(&params)?,
                }),
                c if c == simple(DIRECTORY_CLASS) => Box::new(DirectoryProvider {
                    allowed: AllowedPaths::from_params(&params)?,
                }),
                c if c == simple(ENV_CLASS) => Box::new(EnvProvider {
                    allowlist: match params.get("allowlist.pattern") {
                        None => None,
                        Some(p) => Some(Regex::new(p).map_err(|e| {
                            ConnectError::config(
                                format!("{prefix}allowlist.pattern"),
                                p,
                                format!("not a valid regular expression: {e}"),
                            )
                        })?),
                    },
                }),
                _ => {
                    return Err(ConnectError::config(
                        &class_key,
                        &class,
                        format!(
                            "Ferry provides the config providers {FILE_CLASS}, {DIRECTORY_CLASS} \
and {ENV_CLASS}"
                        ),
                    ))
                }
            };
            providers.insert(name.to_string(), provider);
        }
        Ok(ConfigTransformer { providers })
    }

    /// Whether any provider is configured.
    pub fn is_empty(&self) -> bool {
        self.providers.is_empty()
    }

    /// `config` with every `${provider:[path:]key}` that a configured provider resolves
    /// replaced by its value; references it cannot resolve stay as they are (as in Kafka).
    /// `config.providers*` keys are never resolved. An `Err` when a provider fails (a file
    /// that cannot be read).
    pub fn transform(&self, config: &ConfigMap) -> Result<ConfigMap> {
        if self.providers.is_empty() {
            return Ok(config.clone());
        }
        // which keys each provider and path must look up
        let mut wanted: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
        for (k, v) in config {
            if k.starts_with("config.providers") {
                continue;
            }
            for c in pattern().captures_iter(v) {
                let provider = c.get(1).map_or("", |m| m.as_str());
                if self.providers.contains_key(provider) {
                    let path = c.get(3).map_or("", |m| m.as_str());
                    let key = c.get(4).map_or("", |m| m.as_str());
                    wanted
                        .entry((provider.to_string(), path.to_string()))
                        .or_default()
                        .insert(key.to_string());
                }
            }
        }
        let mut found: BTreeMap<(String, String), BTreeMap<String, String>> = BTreeMap::new();
        for ((provider, path), keys) in wanted {
            if let Some(p) = self.providers.get(&provider) {
                let values = p.get(&path, &keys)?;
                found.insert((provider, path), values);
            }
        }
        let mut out = config.clone();
        for (k, v) in out.iter_mut() {
            if k.starts_with("config.providers") || !v.contains("${") {
                continue;
            }
            let replaced = pattern().replace_all(v, |c: &regex::Captures<'_>| {
                let provider = c.get(1).map_or("", |m| m.as_str()).to_string();
                let path = c.get(3).map_or("", |m| m.as_str()).to_string();
                let key = c.get(4).map_or("", |m| m.as_str());
                found
                    .get(&(provider, path))
                    .and_then(|values| values.get(key))
                    .cloned()
                    .unwrap_or_else(|| c[0].to_string())
            });
            *v = replaced.into_owned();
        }
        Ok(out)
    }

    /// Task configs a connector built from a resolved config, with the values it copied
    /// from resolved references put back as the references (Kafka's `reverseTransform`):
    /// what is stored and shown never holds a resolved secret.
    pub fn reverse(&self, raw: &ConfigMap, resolved: &ConfigMap, task: &ConfigMap) -> ConfigMap {
        let mut out = task.clone();
        for (k, v) in out.iter_mut() {
            if let (Some(r), Some(res)) = (raw.get(k), resolved.get(k)) {
                if r != res && v == res {
                    *v = r.clone();
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    use testkit::config_map as map;

    #[test]
    fn resolves_files_directories_and_environment() {
        let dir = tempfile::tempdir().unwrap();
        let props = dir.path().join("db.properties");
        std::fs::write(&props, "user=ferry\npassword=s3cret\n").unwrap();
        let secrets = dir.path().join("secrets");
        std::fs::create_dir(&secrets).unwrap();
        std::fs::write(secrets.join("token"), "t0k3n").unwrap();
        std::env::set_var("FERRY_TEST_PROVIDER_VAR", "from-env");
        let worker = map(&[
            ("config.providers", "file, dir,env"),
            ("config.providers.file.class", FILE_CLASS),
            ("config.providers.dir.class", "DirectoryConfigProvider"),
            ("config.providers.env.class", ENV_CLASS),
            (
                "config.providers.env.param.allowlist.pattern",
                "FERRY_TEST_.*",
            ),
        ]);
        let t = ConfigTransformer::from_worker_config(&worker).unwrap();
        let p = props.display().to_string();
        let s = secrets.display().to_string();
        let config = map(&[
            (
                "connection.url",
                &format!("jdbc:x://h/db?user=${{file:{p}:user}}"),
            ),
            ("connection.password", &format!("${{file:{p}:password}}")),
            ("token", &format!("${{dir:{s}:token}}")),
            ("home", "${env:FERRY_TEST_PROVIDER_VAR}"),
            ("hidden", "${env:PATH}"),
            ("missing", &format!("${{file:{p}:nope}}")),
            ("unknown", "${vault:a:b}"),
            ("plain", "x"),
        ]);
        let out = t.transform(&config).unwrap();
        assert_eq!(out["connection.url"], "jdbc:x://h/db?user=ferry");
        assert_eq!(out["connection.password"], "s3cret");
        assert_eq!(out["token"], "t0k3n");
        assert_eq!(out["home"], "from-env");
        // not in the allowlist, not found, unknown provider: left as written
        assert_eq!(out["hidden"], "${env:PATH}");
        assert_eq!(out["missing"], config["missing"]);
        assert_eq!(out["unknown"], "${vault:a:b}");
        assert_eq!(out["plain"], "x");

        let task = map(&[("connection.password", "s3cret"), ("plain", "x")]);
        let back = t.reverse(&config, &out, &task);
        assert_eq!(back["connection.password"], config["connection.password"]);
    }

    #[test]
    fn allowed_paths_and_bad_declarations() {
        let dir = tempfile::tempdir().unwrap();
        let props = dir.path().join("a.properties");
        std::fs::write(&props, "k=v\n").unwrap();
        let worker = map(&[
            ("config.providers", "file"),
            ("config.providers.file.class", FILE_CLASS),
            ("config.providers.file.param.allowed.paths", "/nowhere"),
        ]);
        let t = ConfigTransformer::from_worker_config(&worker).unwrap();
        let reference = format!("${{file:{}:k}}", props.display());
        let out = t.transform(&map(&[("x", &reference)])).unwrap();
        assert_eq!(
            out["x"], reference,
            "a path outside allowed.paths is not read"
        );

        let unreadable = map(&[("x", "${file:/no/such/file.properties:k}")]);
        let open = ConfigTransformer::from_worker_config(&map(&[
            ("config.providers", "file"),
            ("config.providers.file.class", FILE_CLASS),
        ]))
        .unwrap();
        let e = open.transform(&unreadable).unwrap_err().to_string();
        assert!(
            e.contains("Could not read properties from file /no/such/file.properties"),
            "{e}"
        );

        let e = ConfigTransformer::from_worker_config(&map(&[("config.providers", "v")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("config.providers.v.class"), "{e}");
        let e = ConfigTransformer::from_worker_config(&map(&[
            ("config.providers", "v"),
            ("config.providers.v.class", "com.example.Vault"),
        ]))
        .unwrap_err()
        .to_string();
        assert!(e.contains("com.example.Vault"), "{e}");
    }
}
