package io.keywarden.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywarden.backend.SecretValue;
import io.keywarden.testsupport.MotoServer.Credentials;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.User;

@Tag("it")
class MotoServerIT {

  @Test
  void authenticationAndResetDoWhatTheySay() {
    try (MotoServer moto = MotoServer.start()) {
      assertThat(moto.endpoint().getHost()).isEqualTo("127.0.0.1");
      Credentials stranger = new Credentials("AKIASTRANGER0000000X", SecretValue.of("anything"));

      // off: anything goes
      try (IamClient iam = moto.iamClient(stranger)) {
        iam.createUser(r -> r.userName("alice"));
      }

      // on: only keys moto issued, signed correctly
      Credentials admin = moto.adminCredentials();
      moto.enableAuthentication();
      try (IamClient iam = moto.iamClient(stranger)) {
        assertThatThrownBy(iam::listUsers).isInstanceOf(IamException.class).satisfies(e -> assertThat(((IamException) e).statusCode()).isEqualTo(403));
      }
      try (IamClient iam = moto.iamClient(admin)) {
        assertThat(iam.listUsers().users()).extracting(User::userName).contains("alice", MotoServer.ADMIN_USER);
      }
      moto.createUser("bob"); // setup goes through the admin now
      assertThat(moto.setupCredentials()).isEqualTo(admin);

      // reset: everything gone, authentication off again
      moto.reset();
      assertThat(moto.authenticationEnabled()).isFalse();
      try (IamClient iam = moto.iamClient(stranger)) {
        assertThat(iam.listUsers().users()).isEmpty();
      }
      assertThat(moto.adminCredentials().accessKeyId()).isNotEqualTo(admin.accessKeyId());
    }
  }
}
