/**
 * The HTTP API: one resource per endpoint ({@code /fill-mask}, {@code /nsp}, {@code /model}, the
 * Open Inference Protocol under {@code /v2}), the parsing of what clients send ({@link
 * org.minibert.inference.api.Requests}) and the problem answers of every failure ({@link
 * org.minibert.inference.api.Problems}). Start reading at {@link
 * org.minibert.inference.api.FillMaskResource}.
 */
package org.minibert.inference.api;
