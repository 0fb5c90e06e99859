package dev.strata.energy;

import static dev.strata.nn.Ops.*;

import dev.strata.nn.Module;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;

/**
 * An {@link Energy} computed by a trained {@link EnergyModel} ({@link EnergyNet}, {@link PairwiseEnergyNet}): the problem and each candidate become aligned token streams, and
 * candidates are scored in batches.
 */
public final class LearnedEnergy<P, X> implements Energy<P, X> {

    /** How a task turns a problem and a candidate into the net's two aligned token streams. */
    public interface Encoder<P, X> {
        long[] problem(P problem);

        long[] candidate(P problem, X candidate);
    }

    private final Module net;
    private final EnergyModel model;
    private final Encoder<P, X> encoder;
    private final int batch;

    public <M extends Module & EnergyModel> LearnedEnergy(M net, Encoder<P, X> encoder, int batch) {
        this.net = net;
        this.model = net;
        this.encoder = encoder;
        this.batch = batch;
    }

    @Override
    public float[] energies(P problem, List<X> candidates) {
        float[] out = new float[candidates.size()];
        long[] p = encoder.problem(problem);
        int t = p.length;
        boolean wasTraining = net.isTraining();
        net.eval();
        try (var g = noGrad()) {
            for (int from = 0; from < out.length; from += batch) {
                int n = Math.min(batch, out.length - from);
                long[] probs = new long[n * t];
                long[] cands = new long[n * t];
                for (int r = 0; r < n; r++) {
                    System.arraycopy(p, 0, probs, r * t, t);
                    System.arraycopy(encoder.candidate(problem, candidates.get(from + r)), 0, cands, r * t, t);
                }
                try (PointerScope s = new PointerScope()) {
                    float[] e = floats(model.forward(tensor(probs, n, t), tensor(cands, n, t))); // (n)
                    System.arraycopy(e, 0, out, from, n);
                }
            }
        } finally {
            net.train(wasTraining);
        }
        return out;
    }

    @Override
    public Breakdown explain(P problem, X candidate) {
        return Breakdown.single("learned", energy(problem, candidate));
    }
}
