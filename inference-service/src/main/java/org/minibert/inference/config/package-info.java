/**
 * The service's settings ({@code minibert.*}, each also an environment variable) and the metrics
 * set-up. Start reading at {@link org.minibert.inference.config.MiniBertConfig}.
 */
package org.minibert.inference.config;
