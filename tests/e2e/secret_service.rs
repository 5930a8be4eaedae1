//! A real Secret Service for the OS-keyring tests: a private D-Bus session bus
//! (`dbus-daemon`) with GNOME Keyring on it, its login keyring unlocked, in a throwaway home.
//! Items are written with libsecret's `secret-tool`, as a desktop stores them. `.ci/run`
//! installs the three tools; elsewhere the tests say they were skipped.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A session bus, with or without a Secret Service on it. Stopped when dropped.
pub struct SecretService {
    dir: PathBuf,
    address: String,
    children: Vec<Child>,
}

const TOOLS: [&str; 4] = [
    "dbus-daemon",
    "dbus-send",
    "gnome-keyring-daemon",
    "secret-tool",
];

impl SecretService {
    /// A bus with GNOME Keyring, its `login` collection unlocked; `None` (with a note) when
    /// the tools are missing outside CI. In CI a missing tool fails the test.
    pub fn start() -> Option<Self> {
        let mut bus = Self::bus_only()?;
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env_clear()
            .envs(bus.env())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start gnome-keyring-daemon");
        // The login keyring's password, then EOF: it is created and left unlocked.
        keyring
            .stdin
            .take()
            .unwrap()
            .write_all(b"test-password")
            .unwrap();
        bus.children.push(keyring);
        bus.wait_for_keyring();
        Some(bus)
    }

    /// A session bus with nothing on it (and no service activation).
    pub fn bus_only() -> Option<Self> {
        if let Some(missing) = TOOLS.iter().find(|tool| !on_path(tool)) {
            assert!(
                std::env::var_os("CI").is_none(),
                "{missing} is missing: .ci/run installs it"
            );
            eprintln!("skipped: {missing} is not installed (Debian: gnome-keyring, dbus, libsecret-tools)");
            return None;
        }
        let dir = unique_dir();
        for sub in ["home", "run", "data", "config"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        let config = dir.join("bus.conf");
        std::fs::write(&config, bus_config(&dir)).unwrap();
        let mut daemon = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dbus-daemon");
        let mut line = String::new();
        BufReader::new(daemon.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        Some(Self {
            dir,
            address: line.trim().to_owned(),
            children: vec![daemon],
        })
    }

    /// The bus's address, for `DBUS_SESSION_BUS_ADDRESS`.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// A fresh home directory in the throwaway directory.
    pub fn home(&self) -> PathBuf {
        self.dir.join("home")
    }

    /// Stores an item in the default (login) collection, as go-keyring does for the CLI.
    pub fn store(&self, label: &str, attributes: &[(&str, &str)], value: &[u8]) {
        let mut args = vec![format!("--label={label}")];
        for (name, val) in attributes {
            args.push((*name).to_owned());
            args.push((*val).to_owned());
        }
        let mut child = self
            .tool("secret-tool")
            .arg("store")
            .args(&args)
            .stdin(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(value).unwrap();
        assert!(child.wait().unwrap().success(), "secret-tool store");
    }

    /// Locks the login collection, as a screen lock does (locking needs no prompt).
    /// `secret-tool lock` crashes on Debian 12's libsecret, so the call is sent directly.
    pub fn lock(&self) {
        let status = self
            .tool("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.secrets",
                "/org/freedesktop/secrets",
                "org.freedesktop.Secret.Service.Lock",
                "array:objpath:/org/freedesktop/secrets/collection/login",
            ])
            .status()
            .unwrap();
        assert!(status.success(), "dbus-send Lock");
    }

    fn tool(&self, name: &str) -> Command {
        let mut command = Command::new(name);
        command
            .env_clear()
            .envs(self.env())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    }

    /// The variables every tool runs with: this bus, and the throwaway directories, so the
    /// user's own keyring is never touched.
    fn env(&self) -> Vec<(&'static str, String)> {
        let at = |sub: &str| self.dir.join(sub).display().to_string();
        vec![
            ("PATH", std::env::var("PATH").unwrap_or_default()),
            ("DBUS_SESSION_BUS_ADDRESS", self.address.clone()),
            ("HOME", at("home")),
            ("XDG_RUNTIME_DIR", at("run")),
            ("XDG_DATA_HOME", at("data")),
            ("XDG_CONFIG_HOME", at("config")),
        ]
    }

    /// Waits until the keyring stores an item, for at most ten seconds.
    fn wait_for_keyring(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.probe() {
            assert!(
                Instant::now() < deadline,
                "gnome-keyring-daemon did not come up within 10 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn probe(&self) -> bool {
        let mut child = match self
            .tool("secret-tool")
            .args(["store", "--label=probe", "probe", "probe"])
            .stdin(Stdio::piped())
            .spawn()
        {
            Ok(child) => child,
            Err(_) => return false,
        };
        let _ = child.stdin.take().map(|mut s| s.write_all(b"probe"));
        child.wait().is_ok_and(|s| s.success())
    }
}

impl Drop for SecretService {
    fn drop(&mut self) {
        for child in self.children.iter_mut().rev() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A session bus of our own: a socket in `dir`, the same rights as a desktop session bus,
/// no service directories (so nothing is activated behind the test's back).
fn bus_config(dir: &Path) -> String {
    format!(
        r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
        dir.join("run").display()
    )
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()))
}

fn unique_dir() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    std::env::temp_dir().join(format!(
        "infisical-secret-service-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ))
}
