using System;
using OptimGen.Storage;

namespace OptimGen;

// Compact storage: the format of each moment, bfloat16 parameters and gradients, and how updates are rounded into them.
public abstract partial class Optimizer
{
    private BFloat16Rounding parameterRounding = BFloat16Rounding.Stochastic;

    /// <summary>
    /// How a step rounds its float32 result into bfloat16 parameter values (tensors registered with
    /// <see cref="Add(Memory{BFloat16}, Memory{BFloat16}, bool)"/>); stochastic unless set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a member of <see cref="BFloat16Rounding"/>.</exception>
    public BFloat16Rounding ParameterRounding
    {
        get => parameterRounding;
        set => parameterRounding = Enum.IsDefined(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(ParameterRounding), value, "ParameterRounding must be Stochastic or NearestEven.");
    }

    /// <summary>
    /// The seed of the random stream that stochastic rounding draws from: element <c>i</c> of the tensor registered
    /// <c>k</c>-th, at step <c>t</c>, always draws the same bits for the same seed, whatever the number of threads.
    /// </summary>
    public ulong RoundingSeed { get; set; }

    /// <summary>The bytes the moments of every registered tensor take in their formats (block absmax values included).</summary>
    public long StateBytes
    {
        get
        {
            long bytes = 0;
            WhileIdle(() => bytes = Moments.Bytes());
            return bytes;
        }
    }

    /// <summary>
    /// Registers a parameter tensor held in bfloat16, and its bfloat16 gradient, in the default group. Each step
    /// widens both to float32, updates in float32 and rounds the result back into <paramref name="parameter"/> as
    /// <see cref="ParameterRounding"/> says. With <paramref name="masterCopy"/>, the optimizer keeps a float32 copy of
    /// the values (4 more bytes per element), updates that, and rounds it into <paramref name="parameter"/>; the
    /// copy is taken from <paramref name="parameter"/> now.
    /// </summary>
    /// <exception cref="ArgumentException">The two differ in length, or overlap a registered tensor or each other.</exception>
    public ParameterTensor Add(Memory<BFloat16> parameter, Memory<BFloat16> gradient, bool masterCopy = false)
        => Register(DefaultGroup, parameter, gradient, masterCopy);

    /// <summary>The storage format of moment <paramref name="moment"/> (a name of <see cref="MomentNames"/>).</summary>
    /// <exception cref="ArgumentException">The optimizer has no moment of that name.</exception>
    public StorageFormat GetMomentStorage(string moment) => Moments.Format(MomentIndex(moment));

    /// <summary>
    /// Keeps moment <paramref name="moment"/> (a name of <see cref="MomentNames"/>) in <paramref name="format"/> from
    /// the next step on; the values it holds are converted then. An 8-bit moment uses the unsigned map when the
    /// update formula cannot make it negative (the same interval analysis as the OPTG112 check), else the signed one.
    /// </summary>
    /// <exception cref="ArgumentException">The optimizer has no moment of that name.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not a member of <see cref="StorageFormat"/>.</exception>
    /// <exception cref="InvalidOperationException">A step, a save or a load is running.</exception>
    public void SetMomentStorage(string moment, StorageFormat format)
    {
        var index = MomentIndex(moment);
        CheckFormat(format);
        WhileIdle(() => Moments.SetFormat(index, format, MapOf(index)));
    }

    /// <summary>Keeps every moment in <paramref name="format"/> from the next step on (see <see cref="SetMomentStorage(string, StorageFormat)"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not a member of <see cref="StorageFormat"/>.</exception>
    /// <exception cref="InvalidOperationException">A step, a save or a load is running.</exception>
    public void SetMomentStorage(StorageFormat format)
    {
        CheckFormat(format);
        WhileIdle(() =>
        {
            for (var index = 0; index < MomentNames.Count; index++)
            {
                Moments.SetFormat(index, format, MapOf(index));
            }
        });
    }

    /// <summary>The storage format the declaration gives moment <paramref name="moment"/> (<see cref="MomentAttribute.Storage"/>); the generator overrides it.</summary>
    protected virtual StorageFormat DeclaredMomentStorage(int moment) => StorageFormat.Float32;

    /// <summary>
    /// Whether the update formula keeps moment <paramref name="moment"/> at or above zero, as the generator's interval
    /// analysis proves it; the unsigned 8-bit map is then used for it.
    /// </summary>
    protected virtual bool IsMomentNonNegative(int moment) => false;

    /// <summary>The random stream of the stochastic rounding of <paramref name="tensor"/> at its current step.</summary>
    internal CounterRandom RoundingStream(ParameterTensor tensor)
        => new(RoundingSeed, ((ulong)(uint)tensor.Slot << 40) ^ (ulong)tensor.StepCount);

    private QuantizationMap MapOf(int moment) => IsMomentNonNegative(moment) ? QuantizationMap.Unsigned : QuantizationMap.Signed;

    private MomentStore NewMomentStore()
    {
        var store = new MomentStore(parameters, MomentNames.Count);
        for (var moment = 0; moment < MomentNames.Count; moment++)
        {
            store.SetFormat(moment, DeclaredMomentStorage(moment), MapOf(moment));
        }

        return store;
    }

    private int MomentIndex(string moment)
    {
        ArgumentNullException.ThrowIfNull(moment);
        var names = MomentNames;
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == moment)
            {
                return i;
            }
        }

        throw new ArgumentException($"{GetType().Name} has no moment '{moment}'; its moments are {(names.Count == 0 ? "none" : string.Join(", ", names))}.", nameof(moment));
    }

    private static void CheckFormat(StorageFormat format)
    {
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "The storage format must be Float32, BFloat16 or Quantized8.");
        }
    }
}
