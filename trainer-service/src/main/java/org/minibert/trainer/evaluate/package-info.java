/**
 * What a trained run is worth: {@link org.minibert.trainer.evaluate.RunEvaluation} (the {@code
 * evaluate} command's work) runs the held-out MLM and NSP figures ({@link
 * org.minibert.trainer.evaluate.Evaluator}), the cloze probes ({@link
 * org.minibert.trainer.evaluate.ClozeProbes}) and masked pieces on any held-out text ({@link
 * org.minibert.trainer.evaluate.HeldOutText}), written as {@link
 * org.minibert.trainer.evaluate.EvaluationReport}.
 */
package org.minibert.trainer.evaluate;
