/**
 * The product's command line, {@code bin/minibert}: start at {@link org.minibert.cli.MiniBertCli}.
 * The trainer's commands come from {@code org.minibert.trainer.cli}; {@link
 * org.minibert.cli.ServeCommand} and {@link org.minibert.cli.DemoCommand} run the inference service
 * through {@link org.minibert.cli.service.ServiceProcess}.
 */
package org.minibert.cli;
