/**
 * Loading the model and keeping it current: start-up, hot reload with backoff, the memory check and
 * the health checks. Start reading at {@link org.minibert.inference.lifecycle.ModelLifecycle} (the
 * loading) and {@link org.minibert.inference.lifecycle.Reloader} (when to try which version).
 */
package org.minibert.inference.lifecycle;
