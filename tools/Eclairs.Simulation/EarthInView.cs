using System;

namespace Eclairs.Simulation;

/// <summary>
/// The Earth seen by the camera: a disc of angular radius <see cref="AngularRadiusDeg"/> around
/// the direction (<see cref="OffAxisDeg"/>, <see cref="AzimuthDeg"/>) (the centre may lie far
/// outside the field, only its limb entering). Inside the disc the CXB is occulted (the Earth is
/// darker than the sky at 4–50 keV); a band of width <see cref="LimbWidthDeg"/> inside the limb
/// glows with atmospheric albedo and reflected CXB: the "bright limb".
/// </summary>
/// <param name="OffAxisDeg">Angle of the Earth centre from the optical axis.</param>
/// <param name="AzimuthDeg">Azimuth of the Earth centre, from +Y towards +Z.</param>
/// <param name="AngularRadiusDeg">Earth's angular radius from orbit (~64° at 625 km altitude).</param>
/// <param name="LimbWidthDeg">Width of the bright band inside the limb.</param>
/// <param name="LimbCountsPerSPerSkyPixel">Limb brightness: detector counts/s per fully coded sky pixel of limb.</param>
/// <param name="CxbCountsPerSPerSkyPixel">CXB blocked per occulted, fully coded sky pixel (counts/s on the detector).</param>
public sealed record EarthInView(
    double OffAxisDeg,
    double AzimuthDeg,
    double AngularRadiusDeg,
    double LimbWidthDeg,
    double LimbCountsPerSPerSkyPixel,
    double CxbCountsPerSPerSkyPixel)
{
    /// <summary>Angle (degrees) between the Earth centre and the sky direction of tangents (ty, tz).</summary>
    public double AngleFromCentreDeg(double tanY, double tanZ)
    {
        double theta = OffAxisDeg * Math.PI / 180;
        double phi = AzimuthDeg * Math.PI / 180;
        double ex = Math.Sin(theta) * Math.Cos(phi);
        double ey = Math.Sin(theta) * Math.Sin(phi);
        double ez = Math.Cos(theta);
        double norm = Math.Sqrt(tanY * tanY + tanZ * tanZ + 1);
        double dot = (tanY * ex + tanZ * ey + ez) / norm;
        return Math.Acos(Math.Clamp(dot, -1, 1)) * 180 / Math.PI;
    }

    /// <summary>True when the direction lies on the Earth's disc.</summary>
    public bool Occults(double tanY, double tanZ) => AngleFromCentreDeg(tanY, tanZ) < AngularRadiusDeg;

    /// <summary>True when the direction lies in the bright band just inside the limb.</summary>
    public bool InBrightLimb(double tanY, double tanZ)
    {
        double angle = AngleFromCentreDeg(tanY, tanZ);
        return angle < AngularRadiusDeg && angle >= AngularRadiusDeg - LimbWidthDeg;
    }
}
