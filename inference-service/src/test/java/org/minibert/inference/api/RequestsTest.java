package org.minibert.inference.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RequestsTest {
  @Test
  void parsesRawQueryStrings() {
    assertThat(Requests.query("text=%EC%84%9C%EC%9A%B8+%5BMASK%5D&top_k=3&text=second"))
        .containsEntry("text", "서울 [MASK]")
        .containsEntry("top_k", "3")
        .hasSize(2);
    assertThat(Requests.query(null)).isEmpty();
    assertThat(Requests.query("flag")).containsEntry("flag", "");
  }

  @Test
  void rejectsBadPercentEncoding() {
    assertThatThrownBy(() -> Requests.query("text=%G1"))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("invalid percent-encoding at '%G1'");
    assertThatThrownBy(() -> Requests.query("text=abc%4"))
        .hasMessageContaining("invalid percent-encoding");
    assertThatThrownBy(() -> Requests.query("text=%C3%28")).hasMessageContaining("not UTF-8");
  }
}
