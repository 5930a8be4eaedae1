//! `client.kms()`, with every key of a list as a stream (async) or an iterator (blocking).

use crate::kms::{
    CreateKmsKey, Decrypt, DeleteKmsKey, Encrypt, ExportKmsKey, ExportedKey, GenerateMac,
    GetKmsKey, GetKmsKeyByName, GetPublicKey, KmsKey, KmsKeyPage, ListKmsKeys,
    ListSigningAlgorithms, MacVerification, RotateKmsKey, Sign, Signature, SigningAlgorithm,
    UpdateKmsKey,
    Verification, Verify, VerifyMac,
};
use crate::Error;
use futures_util::stream::BoxStream;
use std::collections::VecDeque;

super::resource! {
    /// The KMS keys of a project, and what they do: encrypt, decrypt, sign, verify.
    Kms, kms;
    /// Lists one page of a project's keys; see `list_all` for every key.
    fn list(ListKmsKeys) -> KmsKeyPage;
    /// Gets one key by id.
    fn get(GetKmsKey) -> KmsKey;
    /// Gets one key of a project by name.
    fn get_by_name(GetKmsKeyByName) -> KmsKey;
    /// Creates a key.
    fn create(CreateKmsKey) -> KmsKey;
    /// Renames, describes, disables or enables a key.
    fn update(UpdateKmsKey) -> KmsKey;
    /// Deletes a key; answers the deleted key.
    fn delete(DeleteKmsKey) -> KmsKey;
    /// Encrypts bytes; answers the ciphertext bytes.
    fn encrypt(Encrypt) -> Vec<u8>;
    /// Decrypts ciphertext bytes; answers the plaintext bytes.
    fn decrypt(Decrypt) -> Vec<u8>;
    /// Signs bytes with a sign/verify key.
    fn sign(Sign) -> Signature;
    /// Verifies a signature with a sign/verify key.
    fn verify(Verify) -> Verification;
    /// The public key of a sign/verify key (DER bytes).
    fn public_key(GetPublicKey) -> Vec<u8>;
    /// The algorithms a sign/verify key can sign with.
    fn signing_algorithms(ListSigningAlgorithms) -> Vec<SigningAlgorithm>;
    /// Rotates an encrypt/decrypt key; older ciphertexts still decrypt (current servers).
    fn rotate(RotateKmsKey) -> KmsKey;
    /// The MAC of data with an HMAC key (current servers).
    fn generate_mac(GenerateMac) -> Vec<u8>;
    /// Whether a MAC is the data's with an HMAC key (current servers).
    fn verify_mac(VerifyMac) -> MacVerification;
    /// A key's material, for a key created exportable (current servers).
    fn export(ExportKmsKey) -> ExportedKey;
}

/// Where a walk through every page of a key list stands: keys fetched and not yet handed out,
/// and the request for the next page.
struct Pages {
    pending: VecDeque<KmsKey>,
    next: Option<ListKmsKeys>,
}

impl Pages {
    fn new(first: ListKmsKeys) -> Self {
        Self {
            pending: VecDeque::new(),
            next: Some(first),
        }
    }

    /// Takes in the answer to `request`.
    fn absorb(&mut self, request: &ListKmsKeys, page: Result<KmsKeyPage, Error>) -> Option<Error> {
        match page {
            Ok(page) => {
                self.next = request.next_page(&page);
                self.pending.extend(page.keys);
                None
            }
            Err(error) => Some(error),
        }
    }
}

impl<'a> Kms<'a> {
    /// Every key of the list, page after page: one request per page, sent as the stream is
    /// read. An error ends the stream. The stream is boxed, so it can be read with
    /// `while let Some(key) = keys.next().await` without pinning it first.
    pub fn list_all(self, first: ListKmsKeys) -> BoxStream<'a, Result<KmsKey, Error>> {
        let client = self.client;
        Box::pin(futures_util::stream::unfold(
            Pages::new(first),
            move |mut pages| async move {
                loop {
                    if let Some(key) = pages.pending.pop_front() {
                        return Some((Ok(key), pages));
                    }
                    let request = pages.next.take()?;
                    let page = client.execute(&request).await;
                    if let Some(error) = pages.absorb(&request, page) {
                        return Some((Err(error), pages));
                    }
                }
            },
        ))
    }
}

impl<'a> blocking::Kms<'a> {
    /// Every key of the list, page after page: one request per page, sent as the iterator is
    /// read. An error ends the iteration.
    pub fn list_all(self, first: ListKmsKeys) -> impl Iterator<Item = Result<KmsKey, Error>> + 'a {
        let client = self.client;
        let mut pages = Pages::new(first);
        std::iter::from_fn(move || loop {
            if let Some(key) = pages.pending.pop_front() {
                return Some(Ok(key));
            }
            let request = pages.next.take()?;
            let page = client.send(request.clone());
            if let Some(error) = pages.absorb(&request, page) {
                return Some(Err(error));
            }
        })
    }
}
