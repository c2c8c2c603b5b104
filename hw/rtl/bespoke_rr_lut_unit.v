`timescale 1ns / 1ps
// Range-reduced Bespoke LUT unit (bespoke-rr, models/lut/range_reduced_lut.hpp): the Bespoke LUT unit
// (bespoke_lut_unit.v, 257 entries, no dual-range table) behind one extra pipeline stage that splits a
// 32-bit input code X into a power-of-two exponent and a 16-bit mantissa code:
//   stage 0  leading-one detector p = floor(log2 X) (X = 0 is read as 1) and a normalising barrel shifter;
//            reciprocal (RSQRT = 0): u = bits 15..0 of (X << 16) >> p, e = p;
//            rsqrt (RSQRT = 1): q = p & ~1, M = bits 15..0 of (X << 14) >> q, e = q / 2,
//            u = floor((4 (M - 2^14) + 1) / 3), the divide by three as (n * 349526) >> 20 (exact for n < 2^19);
//   stages 1-2  the Bespoke LUT unit's lookup of u, while e travels alongside.
// Output word per lane: {11'b0, e[4:0], y[15:0]}: the consumer's requantising shifter applies 2^-e.
//
// Planted fault for the validation flow's self-test (never defined in a real build):
//   FAULT_DIVIDE_BY_THREE  the reciprocal constant of the divide by three one too small
module bespoke_rr_lut_unit #(
    parameter integer LANES = 1,
    parameter integer RSQRT = 0          // 0: reciprocal over [1, 2); 1: rsqrt over [1, 4)
) (
    input  wire                  clk,
    input  wire                  rst_n,
    // table load port (257 entries)
    input  wire                  load_en,
    input  wire [8:0]            load_addr,
    input  wire [15:0]           load_data,
    // lookups
    input  wire                  in_valid,
    input  wire [LANES*32-1:0]   in_code,
    output wire                  out_valid,
    output wire [LANES*32-1:0]   out_data
);
`ifdef FAULT_DIVIDE_BY_THREE
  localparam [19:0] THIRD = 20'd349525;
`else
  localparam [19:0] THIRD = 20'd349526;  // ceil(2^20 / 3)
`endif

  function automatic [4:0] leading_one(input [31:0] v);
    integer i;
    begin
      leading_one = 5'd0;
      for (i = 0; i < 32; i = i + 1) begin
        if (v[i]) leading_one = i[4:0];
      end
    end
  endfunction

  reg s0_valid;
  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) s0_valid <= 1'b0;
    else s0_valid <= in_valid;
  end

  wire [LANES*16-1:0] s0_code;
  wire [LANES*16-1:0] lut_out;
  genvar lane;
  generate
    for (lane = 0; lane < LANES; lane = lane + 1) begin : lanes
      // Stage 0: leading one, normalisation, mantissa code.
      wire [31:0] x = (in_code[lane*32 +: 32] == 32'd0) ? 32'd1 : in_code[lane*32 +: 32];
      /* verilator lint_off UNUSEDSIGNAL */  // rsqrt rounds p down to even: bit 0 unused there
      wire [4:0]  p = leading_one(x);
      /* verilator lint_on UNUSEDSIGNAL */
      wire [15:0] u;
      wire [4:0]  e;
      if (RSQRT != 0) begin : rsqrt
        wire [4:0]  q = {p[4:1], 1'b0};
        /* verilator lint_off UNUSEDSIGNAL */  // only the 16 bits below the normalised leading one are used
        wire [45:0] normalised = {x, 14'd0} >> q;
        wire [37:0] product = {2'b00, normalised[15:0] - 16'd16384, 2'b01} * {18'd0, THIRD};  // (4 t + 1) / 3
        /* verilator lint_on UNUSEDSIGNAL */
        assign u = product[35:20];
        assign e = {1'b0, p[4:1]};
      end else begin : reciprocal
        /* verilator lint_off UNUSEDSIGNAL */  // the leading one (bit 16) and the bits above are not part of u
        wire [47:0] normalised = {x, 16'd0} >> p;
        /* verilator lint_on UNUSEDSIGNAL */
        assign u = normalised[15:0];
        assign e = p;
      end
      reg [15:0] s0_u;
      reg [4:0]  s0_e, s1_e, s2_e;
      always @(posedge clk) begin
        s0_u <= u;
        s0_e <= e;
        s1_e <= s0_e;   // alongside the LUT unit's two stages
        s2_e <= s1_e;
      end
      assign s0_code[lane*16 +: 16] = s0_u;
      assign out_data[lane*32 +: 32] = {11'd0, s2_e, lut_out[lane*16 +: 16]};
    end
  endgenerate

  // Stages 1-2: the Bespoke LUT unit on the mantissa codes.
  bespoke_lut_unit #(.LANES(LANES), .INDEX_BITS(8), .HAS_DUAL(0)) table_unit (
      .clk(clk), .rst_n(rst_n), .load_en(load_en), .load_dual(1'b0), .load_addr(load_addr),
      .load_data(load_data), .dual_enable(1'b0), .in_valid(s0_valid), .in_code(s0_code),
      .out_valid(out_valid), .out_data(lut_out));
endmodule
