/**
 * Work spread over threads with results taken in the order it was handed out, so that what is
 * written does not depend on the number of threads.
 */
package org.minibert.trainer.parallel;
