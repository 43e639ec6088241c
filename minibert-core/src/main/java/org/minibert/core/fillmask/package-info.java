/**
 * What a fill-mask answer is made of, shared by the trainer's evaluation and the service: {@link
 * org.minibert.core.fillmask.MaskSlot} (one [MASK] of a text and where it sits) and {@link
 * org.minibert.core.fillmask.TopK} (the best candidates of a score row).
 */
package org.minibert.core.fillmask;
