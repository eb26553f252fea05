//! HTTPS for the fake Discord: a certificate authority and a `discord.com` certificate made
//! at test time (rcgen), and a server that speaks TLS (rustls) in front of an axum router.
//!
//! The bot under test keeps Discord's own URLs, resolves `discord.com` to the fake's port and
//! trusts this authority (`FACTBOT_DISCORD_CA_CERT`), so it runs the production REST path,
//! ratelimiter included. Nothing here reaches the internet; every socket is on 127.0.0.1.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};
use tokio::task::JoinHandle;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::TlsAcceptor;

/// The name the certificate is for: Discord's REST host.
pub const HOST: &str = "discord.com";

/// The authority's certificate on disk, and the server configuration for `discord.com`.
pub struct Tls {
    _dir: tempfile::TempDir,
    ca_path: PathBuf,
    config: Arc<ServerConfig>,
}

impl Tls {
    /// A fresh authority and a certificate for [`HOST`] signed by it.
    ///
    /// # Panics
    /// If the certificates cannot be made or written (a broken test set-up).
    pub fn new() -> Self {
        let ca_key = KeyPair::generate().expect("CA key");
        let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "factbot test authority");
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca = ca.self_signed(&ca_key).expect("CA certificate");

        let key = KeyPair::generate().expect("server key");
        let mut leaf = CertificateParams::new(vec![HOST.to_owned()]).expect("server params");
        leaf.distinguished_name.push(DnType::CommonName, HOST);
        leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let leaf = leaf
            .signed_by(&key, &ca, &ca_key)
            .expect("server certificate");

        let dir = tempfile::tempdir().expect("tempdir");
        let ca_path = dir.path().join("fake-discord-ca.pem");
        std::fs::write(&ca_path, ca.pem()).expect("write CA");
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(
                vec![CertificateDer::from(leaf.der().to_vec())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
            )
            .expect("server TLS config");
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Self {
            _dir: dir,
            ca_path,
            config: Arc::new(config),
        }
    }

    /// The authority's certificate (PEM), for `FACTBOT_DISCORD_CA_CERT`.
    pub fn ca_path(&self) -> &Path {
        &self.ca_path
    }

    /// Serves `app` over HTTPS (HTTP/1.1) on a fresh port of 127.0.0.1.
    pub async fn serve(&self, app: Router) -> (SocketAddr, JoinHandle<()>) {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let acceptor = TlsAcceptor::from(Arc::clone(&self.config));
        let server = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (acceptor, app) = (acceptor.clone(), app.clone());
                tokio::spawn(async move {
                    // A client that gives up mid-handshake or mid-request only ends its own
                    // connection.
                    let Ok(tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(tls), TowerToHyperService::new(app))
                        .await;
                });
            }
        });
        (addr, server)
    }
}
