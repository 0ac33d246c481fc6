package io.keywarden.backend.minio;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The CA certificates of {@code spec.minio.caBundle}: when set, they are the ONLY roots keywarden
 * trusts for that MinIO (the JVM's default CAs are not added), as kubectl and cert-manager treat a
 * caBundle. A private CA is then the whole trust, and a public CA cannot vouch for a look-alike.
 *
 * <p>Parsed once; invalid PEM is refused with a message that quotes none of the input.
 */
public final class CaBundle {

  private static final String BEGIN = "-----BEGIN CERTIFICATE-----";

  private final List<X509Certificate> certificates;
  private final TrustManager[] trustManagers;

  private CaBundle(List<X509Certificate> certificates) throws GeneralSecurityException {
    this.certificates = List.copyOf(certificates);
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      store.load(null, null);
    } catch (java.io.IOException impossible) {
      throw new IllegalStateException("an empty key store cannot fail to load", impossible);
    }
    for (int i = 0; i < certificates.size(); i++) {
      store.setCertificateEntry("ca-" + i, certificates.get(i));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    this.trustManagers = factory.getTrustManagers();
  }

  /**
   * Reads one or more PEM certificates.
   *
   * @throws IllegalArgumentException when the text holds no certificate or one does not parse
   */
  public static CaBundle parse(String pem) {
    if (pem == null || !pem.contains(BEGIN)) {
      throw new IllegalArgumentException("holds no PEM certificate (" + BEGIN + " … -----END CERTIFICATE-----)");
    }
    Collection<? extends Certificate> read;
    try {
      read = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (CertificateException e) {
      // the innermost message names the parse error ("Illegal base64 character 21"), not the content
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      throw new IllegalArgumentException("is not valid PEM (" + cause.getMessage() + ")");
    }
    List<X509Certificate> certificates = new ArrayList<>();
    for (Certificate c : read) {
      certificates.add((X509Certificate) c);
    }
    // generateCertificates stops quietly at text it cannot read: a bundle must not lose a CA that way
    int announced = count(pem);
    if (certificates.size() != announced) {
      throw new IllegalArgumentException(
          "is not valid PEM: " + announced + " certificates announced, " + certificates.size() + " readable");
    }
    try {
      return new CaBundle(certificates);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot be used as trust anchors: " + e.getMessage());
    }
  }

  private static int count(String pem) {
    int n = 0;
    for (int at = pem.indexOf(BEGIN); at >= 0; at = pem.indexOf(BEGIN, at + BEGIN.length())) {
      n++;
    }
    return n;
  }

  public List<X509Certificate> certificates() {
    return certificates;
  }

  /** Trust managers that accept only chains ending at one of these CAs. */
  public TrustManager[] trustManagers() {
    return trustManagers.clone();
  }

  /** A TLS context for the JDK HTTP client that trusts only these CAs. */
  public SSLContext sslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK offers no TLS context", e);
    }
  }

  /** Subjects only: a CA certificate is public, but a long PEM has no place in a log line. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("CaBundle[");
    for (int i = 0; i < certificates.size(); i++) {
      s.append(i == 0 ? "" : "; ").append(certificates.get(i).getSubjectX500Principal().getName());
    }
    return s.append(']').toString();
  }
}
