/// <summary>A momentum of 1 never forgets a gradient: outside [0, 1), so the build fails with OPTG014.</summary>
public static class BadConstant
{
    public static HeavyBall Create() => new HeavyBall { Momentum = 1f };
}
