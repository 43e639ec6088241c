package org.minibert.trainer.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.minibert.core.io.AtomicFiles;

/**
 * PNG plots of a run, redrawn from its metrics: {@code loss.png} (train and validation) and {@code
 * lr.png}.
 */
public final class TrainingPlots {
  public static final String LOSS_PNG = "loss.png";
  public static final String LR_PNG = "lr.png";

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private TrainingPlots() {}

  public static void write(Path runDir, List<MetricsRecord> records, String title)
      throws IOException {
    if (records.stream().noneMatch(r -> r.split().equals(MetricsRecord.TRAIN))) {
      return;
    }
    XYChart loss = chart(title + ": loss", "loss");
    addSeries(loss, "train loss", records, MetricsRecord.TRAIN, MetricsRecord::loss, false);
    addSeries(loss, "train MLM", records, MetricsRecord.TRAIN, MetricsRecord::mlmLoss, false);
    addSeries(loss, "train NSP", records, MetricsRecord.TRAIN, MetricsRecord::nspLoss, false);
    addSeries(loss, "val loss", records, MetricsRecord.VAL, MetricsRecord::loss, true);
    addSeries(loss, "val MLM", records, MetricsRecord.VAL, MetricsRecord::mlmLoss, true);
    addSeries(loss, "val NSP", records, MetricsRecord.VAL, MetricsRecord::nspLoss, true);
    save(loss, runDir.resolve(LOSS_PNG));

    XYChart lr = chart(title + ": learning rate", "learning rate");
    addSeries(lr, "lr", records, MetricsRecord.TRAIN, MetricsRecord::lr, false);
    save(lr, runDir.resolve(LR_PNG));
  }

  static XYChart chart(String title, String yTitle) {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(500)
            .title(title)
            .xAxisTitle("step")
            .yAxisTitle(yTitle)
            .build();
    chart.getStyler().setMarkerSize(5);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    return chart;
  }

  private static void addSeries(
      XYChart chart,
      String name,
      List<MetricsRecord> records,
      String split,
      ToDoubleFunction<MetricsRecord> value,
      boolean markers) {
    // a figure the run does not have (NSP of a masked-LM-only run) is NaN: left out
    Predicate<MetricsRecord> inSplit =
        r -> r.split().equals(split) && Double.isFinite(value.applyAsDouble(r));
    double[] x = records.stream().filter(inSplit).mapToDouble(MetricsRecord::step).toArray();
    double[] y = records.stream().filter(inSplit).mapToDouble(value).toArray();
    if (x.length == 0) {
      return;
    }
    XYSeries series = chart.addSeries(name, x, y);
    series.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
  }

  static void save(XYChart chart, Path file) throws IOException {
    AtomicFiles.write(
        file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
  }
}
