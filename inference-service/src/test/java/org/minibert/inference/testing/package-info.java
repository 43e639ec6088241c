/**
 * What the service's tests share: the tiny model and the stores it is published to ({@link
 * org.minibert.inference.testing.TinyModel}, the local and S3 test resources), a raw HTTP client
 * for requests that REST Assured cannot send, and small waiting and probing helpers.
 */
package org.minibert.inference.testing;
