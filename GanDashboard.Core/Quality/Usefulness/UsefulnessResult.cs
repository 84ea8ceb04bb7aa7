namespace GanDashboard.Core.Quality.Usefulness;

/// <summary>One regressor: what it was trained and tested on, its RMSE and NASA score (d = predicted - true).</summary>
public sealed record RegressorScores(string TrainedOn, string TestedOn, int TrainRows, int TestRows, double Rmse, double NasaScore, double NasaScorePerRow);

/// <summary>
/// Train on synthetic, test on real (TSTR) against train on real, test on real (TRTR), both tested on the same
/// held-out real runs. <see cref="TooEasy"/>: the synthetic-trained model does far better on held-out synthetic runs
/// than on real ones, i.e. the synthetic data is simpler than reality.
/// </summary>
public sealed record UsefulnessResult(
    string Target,
    IReadOnlyList<string> Features,
    RegressorScores Tstr,
    RegressorScores Trtr,
    RegressorScores TstrOnSynthetic,
    double RmseRatio,
    double NasaScoreRatio,
    bool TooEasy,
    IReadOnlyList<string> Notes);
