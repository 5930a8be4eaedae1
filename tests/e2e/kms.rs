//! Every KMS method, through the async client on a current and on a legacy server, and
//! through the blocking client.

use crate::support::World;
use infisical::credentials::UniversalAuth;
use infisical::reexports::futures_util::StreamExt;
use infisical_emulator::ServerMode;

/// Runs the KMS methods both generations have through `$client.kms()`; `$all_keys` lists every
/// key (a stream or an iterator); on a current server, also the methods only it has.
macro_rules! exercise_every_kms_method {
    ($client:expr, $world:expr, $mode:expr, |$kms:ident, $first:ident| $all_keys:expr, [$($aw:tt)*]) => {{
        use infisical::kms::*;
        use infisical_emulator::ServerMode;

        let world: &$crate::support::World = $world;
        let emu = &world.emulator;
        let p = world.project.as_str();
        let legacy = matches!($mode, ServerMode::Legacy);
        let kms = $client.kms();
        let status = |e: &infisical::Error| e.status().map(|s| s.as_u16());

        // create, and refuse a duplicate name
        let mut made = Vec::new();
        for name in ["key-e", "key-b", "key-d", "key-a", "key-c"] {
            made.push(kms.create(CreateKmsKey::new(p, name).description("test"))$($aw)*.expect("create"));
        }
        assert_eq!((made[0].name.as_str(), made[0].project_id.as_deref()), ("key-e", Some(p)));
        let duplicate = kms.create(CreateKmsKey::new(p, "key-a"))$($aw)*.unwrap_err();
        assert_eq!(status(&duplicate), Some(if legacy { 500 } else { 400 }), "{duplicate}");

        // one page, then every page
        let page = kms.list(ListKmsKeys::new(p).limit(2))$($aw)*.expect("list");
        assert_eq!((page.keys.len(), page.total_count), (2, 5));
        assert_eq!(page.keys[0].name, "key-a");
        emu.reset_counters();
        let names: Vec<String> = {
            let $kms = kms;
            let $first = ListKmsKeys::new(p).limit(2);
            $all_keys
        };
        assert_eq!(names, ["key-a", "key-b", "key-c", "key-d", "key-e"]);
        assert_eq!(emu.count("GET", "/api/v1/kms/keys"), 3, "one request per page");

        // encrypt and decrypt bytes
        let key = &made[3];
        let plaintext = vec![0u8, 255, 10, b'h', b'i'];
        let ciphertext = kms.encrypt(Encrypt::new(&key.id, plaintext.clone()))$($aw)*.expect("encrypt");
        assert_ne!(ciphertext, plaintext);
        let decrypted = kms.decrypt(Decrypt::new(&key.id, ciphertext.clone()))$($aw)*.expect("decrypt");
        assert_eq!(decrypted, plaintext);
        let foreign = kms.decrypt(Decrypt::new(&made[0].id, ciphertext.clone()))$($aw)*.unwrap_err();
        assert_eq!(status(&foreign), Some(500), "another key's ciphertext: {foreign}");

        // update: rename, describe, disable (and every operation is refused), enable
        let updated = kms.update(UpdateKmsKey::new(&key.id).name("key-z").description("renamed").disabled(true))$($aw)*.expect("update");
        assert_eq!((updated.name.as_str(), updated.is_disabled), ("key-z", Some(true)));
        let refused = kms.encrypt(Encrypt::new(&key.id, b"x".to_vec()))$($aw)*.unwrap_err();
        assert_eq!(status(&refused), Some(400), "{refused}");
        kms.update(UpdateKmsKey::new(&key.id).disabled(false))$($aw)*.unwrap();
        assert!(kms.encrypt(Encrypt::new(&key.id, b"x".to_vec()))$($aw)*.is_ok());

        if legacy {
            // these routes came after October 2024: there is nothing to fall back to
            let err = kms.get(GetKmsKey::new(&key.id))$($aw)*.unwrap_err();
            assert_eq!(status(&err), Some(404), "{err}");
            assert!(!err.is_not_found(), "the server lacks the route: {err}");
            let sign = Sign::new(&key.id, b"m".to_vec(), SigningAlgorithm::EcdsaSha256);
            assert!(kms.sign(sign)$($aw)*.unwrap_err().as_api().is_some_and(|e| e.is_route_not_found()));
        } else {
            // get by id and by name
            assert_eq!(kms.get(GetKmsKey::new(&key.id))$($aw)*.expect("get").name, "key-z");
            let by_name = kms.get_by_name(GetKmsKeyByName::new(p, "key-z"))$($aw)*.expect("get by name");
            assert_eq!(by_name.id, key.id);
            assert_eq!(by_name.key_usage, Some(KeyUsage::EncryptDecrypt));

            // a signing key: algorithms, public key, sign, verify
            let signer = kms
                .create(CreateKmsKey::new(p, "signer").key_usage(KeyUsage::SignVerify).algorithm("ECC_NIST_P256"))
                $($aw)*
                .expect("create a signing key");
            let algorithms = kms.signing_algorithms(ListSigningAlgorithms::new(&signer.id))$($aw)*.expect("algorithms");
            assert_eq!(algorithms, [SigningAlgorithm::EcdsaSha512, SigningAlgorithm::EcdsaSha384, SigningAlgorithm::EcdsaSha256]);
            let public_key = kms.public_key(GetPublicKey::new(&signer.id))$($aw)*.expect("public key");
            assert!(!public_key.is_empty());
            let message = b"release v1.2.3".to_vec();
            let signed = kms.sign(Sign::new(&signer.id, message.clone(), SigningAlgorithm::EcdsaSha256))$($aw)*.expect("sign");
            assert_eq!((signed.key_id.as_str(), signed.signing_algorithm), (signer.id.as_str(), SigningAlgorithm::EcdsaSha256));
            let check = Verify::new(&signer.id, message.clone(), signed.signature.clone(), SigningAlgorithm::EcdsaSha256);
            assert!(kms.verify(check)$($aw)*.expect("verify").signature_valid);
            let forged = Verify::new(&signer.id, b"release v6.6.6".to_vec(), signed.signature.clone(), SigningAlgorithm::EcdsaSha256);
            assert!(!kms.verify(forged)$($aw)*.unwrap().signature_valid);
            let rsa_only = Sign::new(&signer.id, message, SigningAlgorithm::RsassaPssSha256);
            assert_eq!(status(&kms.sign(rsa_only)$($aw)*.unwrap_err()), Some(400));
        }

        // delete
        let deleted = kms.delete(DeleteKmsKey::new(&made[0].id))$($aw)*.expect("delete");
        assert_eq!(deleted.name, "key-e");
        let gone = kms.encrypt(Encrypt::new(&made[0].id, b"x".to_vec()))$($aw)*.unwrap_err();
        assert!(gone.is_not_found(), "{gone}");

        // No client-side size limit: a current server takes 1 MiB, an older one answers
        // for its own 4 KiB limit.
        let big = vec![7u8; 100_000];
        let sealed = kms.encrypt(Encrypt::new(&key.id, big.clone()))$($aw)*;
        if legacy {
            let err = sealed.unwrap_err();
            assert!(err.status().is_some_and(|s| s.is_client_error()), "{err}");
            assert!(err.to_string().contains("4096"), "the server's own message: {err}");
        } else {
            let sealed = sealed.expect("100 kB encrypt");
            let opened = kms.decrypt(Decrypt::new(&key.id, sealed))$($aw)*.expect("100 kB decrypt");
            assert_eq!(opened, big);
        }

        // checked before sending
        let sent = emu.requests().len();
        let err = kms.list(ListKmsKeys::new(p).limit(0))$($aw)*.unwrap_err();
        assert!(matches!(err, infisical::Error::InvalidRequest(ref e) if e.field() == "limit"), "{err}");
        assert_eq!(emu.requests().len(), sent);
    }};
}

#[tokio::test]
async fn every_kms_method_on_a_current_server() {
    let world = World::new(ServerMode::Modern);
    let client = world.client_without_retries();
    exercise_every_kms_method!(client, &world, ServerMode::Modern, |kms, first| {
        let keys: Vec<_> = kms.list_all(first).collect().await;
        keys.into_iter().map(|k| k.expect("a key").name).collect()
    }, [.await]);
}

#[tokio::test]
async fn every_kms_method_on_a_legacy_server() {
    let world = World::new(ServerMode::Legacy);
    let client = world.client_without_retries();
    exercise_every_kms_method!(client, &world, ServerMode::Legacy, |kms, first| {
        let keys: Vec<_> = kms.list_all(first).collect().await;
        keys.into_iter().map(|k| k.expect("a key").name).collect()
    }, [.await]);
}

#[test]
fn every_kms_method_through_the_blocking_client() {
    let world = World::new(ServerMode::Modern);
    let client = infisical::blocking::Client::builder()
        .base_url(world.emulator.url())
        .credentials(UniversalAuth::new(
            world.client_id.clone(),
            world.client_secret.clone(),
        ))
        .no_retries()
        .build()
        .unwrap();
    exercise_every_kms_method!(
        client,
        &world,
        ServerMode::Modern,
        |kms, first| {
            kms.list_all(first)
                .map(|k| k.expect("a key").name)
                .collect()
        },
        []
    );
}

/// Runs the MAC and export methods through `$client` against `$world`.
macro_rules! exercise_macs_and_export {
    ($client:expr, $world:expr, [$($aw:tt)*]) => {{
        use infisical::kms::*;

        let world: &$crate::support::World = $world;
        let emu = &world.emulator;
        let legacy = emu.mode() == infisical_emulator::ServerMode::Legacy;
        let p = emu.create_project("macs");
        let kms = $client.kms();
        let hmac = CreateKmsKey::new(&p, "hmac")
            .key_usage(KeyUsage::GenerateVerifyMac)
            .algorithm("HMAC_SHA_256");
        if legacy {
            // Servers of 2024 know encryption keys only: the server refuses, typed.
            let err = kms.create(hmac)$($aw)*.unwrap_err();
            assert!(err.status().is_some(), "{err}");
            let err = kms.generate_mac(GenerateMac::new("any", b"x".to_vec()))$($aw)*.unwrap_err();
            assert!(matches!(&err, infisical::Error::Api(api) if api.is_route_not_found()), "{err}");
        } else {
            let key = kms.create(hmac)$($aw)*.expect("an HMAC key");
            assert_eq!(key.key_usage, Some(KeyUsage::GenerateVerifyMac));
            assert_eq!(key.encryption_algorithm.as_deref(), Some("HMAC_SHA_256"));
            let mac = kms.generate_mac(GenerateMac::new(&key.id, b"payload".to_vec()))$($aw)*.unwrap();
            assert_eq!(mac.len(), 32);
            let ok = kms.verify_mac(VerifyMac::new(&key.id, b"payload".to_vec(), mac.clone()))$($aw)*.unwrap();
            assert!(ok.mac_valid);
            assert_eq!(ok.mac_algorithm, "HMAC_SHA_256");
            let bad = kms.verify_mac(VerifyMac::new(&key.id, b"other".to_vec(), mac))$($aw)*.unwrap();
            assert!(!bad.mac_valid);
            // every HMAC algorithm the server takes, SHA-224 included
            for (alg, len) in [("HMAC_SHA_1", 20), ("HMAC_SHA_224", 28), ("HMAC_SHA_384", 48), ("HMAC_SHA_512", 64)] {
                let create = CreateKmsKey::new(&p, alg.to_lowercase().replace('_', "-"))
                    .key_usage(KeyUsage::GenerateVerifyMac)
                    .algorithm(alg);
                let k = kms.create(create)$($aw)*.unwrap_or_else(|e| panic!("{alg}: {e}"));
                assert_eq!(kms.generate_mac(GenerateMac::new(&k.id, b"d".to_vec()))$($aw)*.unwrap().len(), len);
            }
            // a usage the SDK does not name is sent as given; the server answers for it
            let sent = emu.requests().len();
            let future = CreateKmsKey::new(&p, "future").key_usage(KeyUsage::Other("quantum-sign".into()));
            let err = kms.create(future)$($aw)*.unwrap_err();
            assert!(err.status().is_some(), "the server's refusal: {err}");
            assert_eq!(emu.requests().len(), sent + 1, "sent, not refused by the client");

            // an encryption key is not for MACs
            let aes = kms.create(CreateKmsKey::new(&p, "aes").algorithm("aes-128-gcm"))$($aw)*.unwrap();
            assert_eq!(aes.encryption_algorithm.as_deref(), Some("aes-128-gcm"));
            let err = kms.generate_mac(GenerateMac::new(&aes.id, b"d".to_vec()))$($aw)*.unwrap_err();
            assert_eq!(err.status().map(|s| s.as_u16()), Some(400), "{err}");

            // rotation: a new version, and what the old material encrypted still decrypts
            let sealed_text = kms.encrypt(Encrypt::new(&aes.id, b"before".to_vec()))$($aw)*.unwrap();
            let before = kms.export(ExportKmsKey::new(&aes.id))$($aw)*.unwrap();
            let rotated = kms.rotate(RotateKmsKey::new(&aes.id))$($aw)*.expect("rotate");
            assert_eq!(rotated.version, Some(2));
            let after = kms.export(ExportKmsKey::new(&aes.id))$($aw)*.unwrap();
            assert_ne!(before.base64(), after.base64(), "new material");
            assert_eq!(kms.decrypt(Decrypt::new(&aes.id, sealed_text))$($aw)*.unwrap(), b"before");
            let err = kms.rotate(RotateKmsKey::new(&key.id))$($aw)*.unwrap_err();
            assert_eq!(err.status().map(|s| s.as_u16()), Some(400), "only encryption keys: {err}");

            // export: exportable keys only, the material never in Debug
            let exported = kms.export(ExportKmsKey::new(&aes.id))$($aw)*.unwrap();
            assert_eq!(exported.bytes().unwrap().len(), 16);
            assert!(!format!("{exported:?}").contains(exported.base64()));
            let sealed = CreateKmsKey::new(&p, "sealed").exportable(false);
            let sealed = kms.create(sealed)$($aw)*.unwrap();
            let err = kms.export(ExportKmsKey::new(&sealed.id))$($aw)*.unwrap_err();
            assert_eq!(err.status().map(|s| s.as_u16()), Some(400), "{err}");
        }
    }};
}

mod macs_and_export {
    on_every_client!(exercise_macs_and_export, blocking: Modern);
}
