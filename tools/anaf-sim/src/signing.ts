import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SignedXml } from 'xml-crypto';

/** PEM key pair the simulator signs downloads with (stands in for the Ministry of Finance certificate). */
export interface SigningMaterial {
  /** RSA private key, PEM (PKCS#8 or PKCS#1). */
  privateKeyPem: string;
  /** Self-signed X.509 certificate, PEM, published in `X509Certificate` of every signature. */
  certificatePem: string;
}

/**
 * The simulator's shipped test key and self-signed certificate (`tools/anaf-sim/fixtures/`, generated
 * with `openssl req -x509 -newkey rsa:2048`). Not secret, never trusted outside tests.
 */
export function defaultSigningMaterial(): SigningMaterial {
  const dir = fileURLToPath(new URL('../fixtures/', import.meta.url));
  return {
    privateKeyPem: readFileSync(`${dir}sim-signing-key.pem`, 'utf8'),
    certificatePem: readFileSync(`${dir}sim-signing-cert.pem`, 'utf8'),
  };
}

/** Path of the shipped simulator certificate (PEM), for tests that verify download signatures. */
export const SIMULATOR_CERT_PATH = fileURLToPath(new URL('../fixtures/sim-signing-cert.pem', import.meta.url));

/**
 * Builds the content of `semnatura_<index>.xml`: a detached XMLDSig `Signature` (RSA-SHA256,
 * exclusive C14N, SHA-256 digest) whose single `Reference URI=""` covers the whole document in
 * `<index>.xml`, with `KeyInfo/X509Data/X509Certificate`. Verify with xml-crypto:
 * `sig.loadSignature(signatureXml); sig.checkSignature(signedDocumentXml)` (publicCert = the cert).
 * Source: ANAF-EFACTURA.md "descarcare" (the ZIP's signature file, XMLDSig with X509Certificate).
 * @throws Error when `documentXml` is not well-formed XML.
 */
export function signDetached(documentXml: string, material: SigningMaterial): string {
  const sig = new SignedXml({
    privateKey: material.privateKeyPem,
    publicCert: material.certificatePem,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  sig.addReference({
    xpath: '/*',
    isEmptyUri: true,
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: ['http://www.w3.org/2001/10/xml-exc-c14n#'],
  });
  sig.computeSignature(documentXml);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${sig.getSignatureXml()}`;
}
