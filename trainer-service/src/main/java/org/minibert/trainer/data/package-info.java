/**
 * The data set and the pre-training instances. {@link org.minibert.trainer.data.DatasetPreparer}
 * writes a prepared data set (tokenizer, token splits, {@code dataset.json}); {@link
 * org.minibert.trainer.data.TrainingData} opens it; {@link
 * org.minibert.trainer.data.InstanceGenerator} makes sentence pairs and {@link
 * org.minibert.trainer.data.MaskingPolicy} the masks; {@link
 * org.minibert.trainer.data.BatchBuilder} turns instances into the tensors a training step reads.
 */
package org.minibert.trainer.data;
