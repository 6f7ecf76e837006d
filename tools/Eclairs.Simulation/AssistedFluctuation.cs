namespace Eclairs.Simulation;

/// <summary>
/// A systematic (detector defect, particle surge, Earth) that reaches the threshold together with
/// an upward noise excursion where it is strongest. A defect's sky image is a mask-shaped pattern
/// of many similar lobes: alone it either stays below the threshold or inflates the whole image
/// and fails the quality criteria. The alerts that pass need noise to lift one lobe by the
/// missing 1–4σ: common per lobe (1 in ~10²–10⁴), too rare to wait for, so the excursion is drawn
/// from the tail like <see cref="TailFluctuation"/>, at the lobe the trigger finds highest in the
/// noise-free image, sized to what is missing plus a tail overshoot (exponential of scale 1/threshold).
/// </summary>
/// <param name="MaxSigma">Largest excursion still blamed on the systematic; beyond, none is added (the attempt
/// then usually raises nothing: the systematic was too weak, or the image too disturbed).</param>
public sealed record AssistedFluctuation(double MaxSigma);
