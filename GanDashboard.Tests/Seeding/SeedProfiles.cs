using GanDashboard.Core.Profiles;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Seeding;

/// <summary>Profiles for the seed tests: the three samples and machines the samples do not cover.</summary>
internal static class SeedProfiles
{
    public static readonly string[] SampleIds = ["motor_siemens_1la7_001", "pump_ksb_etanorm_002", "cnc_haas_vf2_004"];

    public static MachineProfile Sample(string machineId) => ProfileJson.Deserialize(File.ReadAllText(TestData.SampleProfile(machineId)));

    /// <summary>
    /// A gearbox, a machine type no sample covers: 6-hourly data, RUL in days, a lognormal, a Weibull and a
    /// uniform time to failure, Paris-law, three-phase and linear damage, a decreasing criterion sensor,
    /// Arrhenius ageing, a mode baseline override, an ambient random walk and a hidden (non-observable) sensor.
    /// </summary>
    public static MachineProfile Gearbox() => ProfileJson.Deserialize(GearboxJson);

    public const string GearboxJson = """
    {
      "schema_version": "1.0", "machine_id": "gearbox_flender_h2sh_007", "machine_type": "gearbox",
      "manufacturer": "Flender", "model": "H2SH 7",
      "operational_parameters": { "rated_power_kw": 250, "ambient_ref_c": 20 },
      "sampling": { "interval_s": 21600, "aggregation": "6-hour mean" },
      "operating_modes": [
        { "name": "full_load", "weight": 0.6, "load_fraction": 1.0, "mean_dwell_steps": 12 },
        { "name": "half_load", "weight": 0.4, "load_fraction": 0.5, "mean_dwell_steps": 8, "sensor_baselines": { "input_speed_rpm": 1000 } }
      ],
      "sensors": [
        { "name": "oil_temp_c", "sensor_type": "temperature", "unit": "°C", "range": { "min": -20, "max": 150 },
          "normal": { "min": 40, "typical": 65, "max": 80 }, "warning": 90, "critical": 105, "direction": "increasing",
          "noise_std": 0.5, "load_response": { "no_load_value": 45, "exponent": 1.5 }, "ambient_coupled": true },
        { "name": "vibration_rms_mm_s", "sensor_type": "vibration", "unit": "mm/s", "range": { "min": 0, "max": 50 },
          "normal": { "min": 0.5, "typical": 2.0, "max": 3.5 }, "warning": 4.5, "critical": 7.1, "direction": "increasing",
          "noise_std": 0.1, "load_response": { "no_load_value": 1.2, "exponent": 1.0 } },
        { "name": "oil_pressure_bar", "sensor_type": "pressure", "unit": "bar", "range": { "min": 0, "max": 10 },
          "normal": { "min": 1.8, "typical": 2.5, "max": 3.2 }, "warning": 1.5, "critical": 1.0, "direction": "decreasing", "noise_std": 0.03 },
        { "name": "particle_count", "sensor_type": "wear", "unit": "1/ml", "range": { "min": 0, "max": 5000 },
          "normal": { "min": 0, "typical": 50, "max": 150 }, "warning": 400, "critical": 1000, "direction": "increasing",
          "noise_std": 5, "observable": false },
        { "name": "input_speed_rpm", "sensor_type": "speed", "unit": "rpm", "range": { "min": 0, "max": 2000 },
          "normal": { "min": 950, "typical": 1480, "max": 1500 }, "direction": "none", "noise_std": 2,
          "load_response": { "no_load_value": 1500, "exponent": 1.0 } },
        { "name": "ambient_temp_c", "sensor_type": "temperature", "unit": "°C", "range": { "min": -30, "max": 60 },
          "normal": { "min": 5, "typical": 20, "max": 35 }, "direction": "none", "noise_std": 0.2,
          "dynamics": { "type": "mean_reverting_random_walk", "step_std": 0.5, "reversion": 0.1 } }
      ],
      "failure_modes": [
        { "id": "gear_tooth_crack", "run_share": 0.4,
          "time_to_failure": { "unit": "d", "distribution": "lognormal", "mu": 4.787, "sigma": 0.35, "min": 40, "max": 400 },
          "onset_fraction": { "min": 0.5, "max": 0.7 }, "progression": { "law": "paris", "initial_fraction": 0.1, "exponent": 3.0 },
          "effects": [ { "sensor": "vibration_rms_mm_s", "reach": 1.0 }, { "sensor": "particle_count", "reach": 0.3 } ],
          "failure_criterion": { "sensor": "vibration_rms_mm_s", "level": "critical" } },
        { "id": "bearing_spall", "run_share": 0.3,
          "time_to_failure": { "unit": "d", "distribution": "weibull", "shape": 2.0, "scale": 100, "min": 30, "max": 300 },
          "onset_fraction": { "min": 0.6, "max": 0.8 },
          "progression": { "law": "three_phase", "break_in_fraction": 0.1, "break_in_share": 0.2, "accel_exponent": 3.0 },
          "effects": [ { "sensor": "particle_count", "reach": 1.0 }, { "sensor": "vibration_rms_mm_s", "reach": 0.4 }, { "sensor": "oil_temp_c", "delta": 5 } ],
          "failure_criterion": { "sensor": "particle_count", "level": "critical" } },
        { "id": "oil_pump_wear", "run_share": 0.3,
          "time_to_failure": { "unit": "d", "distribution": "uniform", "min": 60, "max": 150 },
          "onset_fraction": { "min": 0.3, "max": 0.5 }, "progression": { "law": "linear" },
          "age_acceleration": { "type": "arrhenius_10k_rule", "driver_sensor": "oil_temp_c", "ref_value": 65, "doubling_interval": 10 },
          "effects": [ { "sensor": "oil_pressure_bar", "reach": 1.0 }, { "sensor": "oil_temp_c", "reach": 0.3 } ],
          "failure_criterion": { "sensor": "oil_pressure_bar", "level": "critical" } }
      ],
      "labels": { "rul_unit": "d", "rul_cap": 30 }
    }
    """;

    /// <summary>
    /// The smallest useful machine: one degrading sensor and one context sensor, hourly, linear damage from
    /// the start over exactly 100 h (uniform 100 to 100.000001 h). Tests vary it with <c>with</c>.
    /// </summary>
    public static MachineProfile Minimal() => ProfileJson.Deserialize("""
    {
      "schema_version": "1.0", "machine_id": "fan_test_minimal_001", "machine_type": "fan", "manufacturer": "Test", "model": "T1",
      "operational_parameters": { "ambient_ref_c": 25 },
      "sampling": { "interval_s": 3600 },
      "operating_modes": [ { "name": "run", "weight": 1.0, "load_fraction": 1.0, "mean_dwell_steps": 10 } ],
      "sensors": [
        { "name": "bearing_temp_c", "sensor_type": "temperature", "unit": "°C", "range": { "min": 0, "max": 200 },
          "normal": { "min": 40, "typical": 60, "max": 70 }, "warning": 80, "critical": 100, "direction": "increasing", "noise_std": 0 },
        { "name": "speed_rpm", "sensor_type": "speed", "unit": "rpm", "range": { "min": 0, "max": 3000 },
          "normal": { "min": 1400, "typical": 1450, "max": 1500 }, "direction": "none", "noise_std": 0 }
      ],
      "failure_modes": [
        { "id": "bearing_wear", "run_share": 1.0,
          "time_to_failure": { "unit": "h", "distribution": "uniform", "min": 100, "max": 100.000001 },
          "onset_fraction": { "min": 0, "max": 0 }, "progression": { "law": "linear" },
          "effects": [ { "sensor": "bearing_temp_c", "reach": 1.0 } ],
          "failure_criterion": { "sensor": "bearing_temp_c", "level": "critical" } }
      ],
      "labels": { "rul_unit": "h", "rul_cap": 50 }
    }
    """);
}
