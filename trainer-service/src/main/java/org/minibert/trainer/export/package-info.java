/**
 * From a trained run to a published version. {@link org.minibert.trainer.export.BertOnnxExporter}
 * writes the two ONNX graphs ({@link org.minibert.trainer.export.HuggingFaceGraph}, {@link
 * org.minibert.trainer.export.ServingGraph}, over {@link
 * org.minibert.trainer.export.BertGraphBuilder}'s shared blocks); {@link
 * org.minibert.trainer.export.ParityCheck} holds them to the DJL model; {@link
 * org.minibert.trainer.export.VersionFolderWriter} writes the version folder (graphs, safetensors,
 * tokenizer, config, metrics); {@link org.minibert.trainer.export.RunPublisher} publishes it.
 */
package org.minibert.trainer.export;
