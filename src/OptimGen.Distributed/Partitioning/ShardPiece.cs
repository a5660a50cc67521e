namespace OptimGen.Distributed.Partitioning;

/// <summary>The part of one tensor that one process steps.</summary>
/// <param name="Tensor">The tensor's index in the sharded optimizer's list.</param>
/// <param name="Start">The piece's first element within the tensor.</param>
/// <param name="Length">The piece's number of elements.</param>
/// <param name="FlatOffset">Where the piece starts in the flat parameter space.</param>
public readonly record struct ShardPiece(int Tensor, int Start, int Length, int FlatOffset);
