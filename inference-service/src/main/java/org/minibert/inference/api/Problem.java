package org.minibert.inference.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem ({@code application/problem+json}): every error the service answers.
 *
 * @param type a URI naming the kind of problem ({@code about:blank} when the status says it all)
 * @param title the status in words
 * @param status the HTTP status
 * @param detail what was wrong with this request, in one sentence a client can act on
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail) {
  public static final String MEDIA_TYPE = "application/problem+json";
}
